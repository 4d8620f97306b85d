/*
 * A settings page's "test connection" in C: checks that an endpoint, a
 * merchant id and its credentials work together (nothing is created),
 * against an installed libsequra found with pkg-config alone (Makefile).
 *
 *   check_credentials [ENDPOINT]
 *
 * ENDPOINT is "sandbox", "live" or a URL; without it $SEQURA_SANDBOX_URL.
 * The account is $SEQURA_MERCHANT, $SEQURA_USERNAME and $SEQURA_PASSWORD,
 * by default the bundled sandbox's demo account. $SEQURA_CA_FILE, when set,
 * is the PEM file of the CA to trust instead of the built-in roots (the
 * bundled sandbox started with --tls prints its own). Exits 0 when they
 * work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sequra.h>

/* Why a call failed: the calling thread's last error, as the library keeps it. */
static int fail(const char *call, SqStatus status)
{
    fprintf(stderr, "%s: %s: %s\n", call, sq_status_name(status), sq_last_error());
    return 1;
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0' ? value : fallback;
}

/* Whether the text can go between JSON quotes as it is. */
static int json_plain(const char *text)
{
    for (; *text != '\0'; text++) {
        if (*text == '"' || *text == '\\' || (unsigned char)*text < 0x20) {
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    /* The header compiled in and the library loaded must be one version. */
    if (strcmp(sq_version(), SEQURA_VERSION) != 0) {
        fprintf(stderr, "sequra.h is version %s but the library loaded is %s\n", SEQURA_VERSION, sq_version());
        return 1;
    }
    const char *endpoint = argc > 1 ? argv[1] : getenv("SEQURA_SANDBOX_URL");
    const char *merchant = env_or("SEQURA_MERCHANT", "demo");
    const char *username = env_or("SEQURA_USERNAME", "demo");
    const char *password = env_or("SEQURA_PASSWORD", "demo-password");
    const char *ca_file = env_or("SEQURA_CA_FILE", NULL);
    if (endpoint == NULL || argc > 2) {
        fprintf(stderr, "usage: %s [sandbox|live|URL] (or set SEQURA_SANDBOX_URL; SEQURA_CA_FILE names a CA to trust)\n",
                argv[0]);
        return 2;
    }
    if (!json_plain(endpoint) || !json_plain(merchant) || !json_plain(username) || !json_plain(password) ||
        (ca_file != NULL && !json_plain(ca_file))) {
        fprintf(stderr, "quotes, backslashes and control characters are not supported here\n");
        return 2;
    }

    /* ca_file only when a CA is given: without it, the built-in roots. */
    char options[1024];
    int length = snprintf(options, sizeof options,
                          "{\"endpoint\":\"%s\",\"merchant\":\"%s\",\"username\":\"%s\",\"password\":\"%s\"%s%s%s}",
                          endpoint, merchant, username, password,
                          ca_file ? ",\"ca_file\":\"" : "", ca_file ? ca_file : "", ca_file ? "\"" : "");
    if (length < 0 || (size_t)length >= sizeof options) {
        fprintf(stderr, "the options are too long\n");
        return 2;
    }

    SqClient *client = NULL;
    SqStatus status = sq_client_new(options, &client);
    if (status != SQ_OK) {
        return fail("sq_client_new", status);
    }
    status = sq_client_check_credentials(client);
    int exit_code = status == SQ_OK ? 0 : fail("sq_client_check_credentials", status);
    if (exit_code == 0) {
        printf("libsequra %s: merchant %s at %s: the credentials work\n", sq_version(), merchant, endpoint);
    }
    sq_client_free(client);
    return exit_code;
}
