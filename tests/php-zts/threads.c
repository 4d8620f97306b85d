/*
 * The extension in a threaded PHP, as FrankenPHP or Apache's worker MPM
 * with mod_php run it: PHP's embed SAPI, built thread-safe (ZTS), serves
 * requests on several threads at once, each thread one request after
 * another, every request running REQUEST_SCRIPT. Then, back on the main
 * thread, AFTER_SCRIPT checks what the threads left behind (the pool).
 *
 * Usage: threads PHP_INI REQUEST_SCRIPT AFTER_SCRIPT THREADS REQUESTS
 * (PHP_INI loads the extension). Exits 0 when every script exited 0.
 * scripts/php-zts.sh builds and runs it.
 */
#include <sapi/embed/php_embed.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct worker {
    pthread_t thread;
    const char *script;
    int requests;
    int failed;
};

/* Runs the script in the current request; its exit status (255 for an
 * uncaught exception or a fatal error). */
static int run_script(const char *path)
{
    zend_file_handle file;
    zend_stream_init_filename(&file, path);
    zend_first_try {
        php_execute_script(&file);
    } zend_end_try();
    zend_destroy_file_handle(&file);
    return EG(exit_status);
}

static void *serve(void *arg)
{
    struct worker *worker = arg;
    /* This thread's copy of PHP's globals (and of the settings). */
    (void)ts_resource(0);
    for (int i = 0; i < worker->requests; i++) {
        SG(options) |= SAPI_OPTION_NO_CHDIR;
        if (php_request_startup() == FAILURE) {
            worker->failed++;
            break;
        }
        SG(headers_sent) = 1;
        SG(request_info).no_headers = 1;
        if (run_script(worker->script) != 0) {
            worker->failed++;
        }
        php_request_shutdown(NULL);
    }
    ts_free_thread();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 6 || atoi(argv[4]) < 1 || atoi(argv[5]) < 1) {
        fprintf(stderr, "usage: %s PHP_INI REQUEST_SCRIPT AFTER_SCRIPT THREADS REQUESTS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[4]);
    int requests = atoi(argv[5]);
    php_embed_module.php_ini_path_override = argv[1];
    /* phpinfo() as the CLI shows it, for AFTER_SCRIPT to read. */
    php_embed_module.phpinfo_as_text = 1;
    if (php_embed_init(0, NULL) == FAILURE) {
        fprintf(stderr, "PHP did not start\n");
        return 1;
    }
    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    if (workers == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    int started = 0;
    for (; started < threads; started++) {
        workers[started].script = argv[2];
        workers[started].requests = requests;
        if (pthread_create(&workers[started].thread, NULL, serve, &workers[started]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", started + 1);
            break;
        }
    }
    int failed = started < threads;
    for (int i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
        failed += workers[i].failed;
    }
    free(workers);
    int after = run_script(argv[3]);
    php_embed_shutdown();
    printf("%d threads x %d requests: %d failed; the check after them %s\n", threads, requests,
           failed, after == 0 ? "passed" : "failed");
    return failed == 0 && after == 0 ? 0 : 1;
}
