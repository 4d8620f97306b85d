//! The JSON of an order, written straight where it goes: into the PHP
//! string that `Sequra\Order::encode` returns ([`ZendText`]), or into the
//! body of the request that sends it ([`VecText`]); no buffer to copy
//! from at the end.
//!
//! Each piece of JSON makes room for itself once and is then copied without
//! further checks; the short ones (most keys and values) without a call to
//! `memcpy`.
//!
//! The string is made as `zend_string_alloc` makes one (`Zend/zend_string.h`,
//! the same in PHP 8.1 to 8.5, see `super::zval`): the header's refcount 1,
//! type info `GC_STRING`, hash 0 (not computed), then the text and a NUL.

use ext_php_rs::alloc::{efree, emalloc};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::ffi::{zend_string, IS_STRING};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendStr, Zval};
use sequra::orders::payload::json_text;
use std::alloc::Layout;
use std::ffi::c_void;
use std::ptr::{self, NonNull};

/// `GC_STRING` (`Zend/zend_types.h`): `IS_STRING` with `GC_NOT_COLLECTABLE`.
const GC_STRING: u32 = IS_STRING | (1 << 4);
/// `offsetof(zend_string, val)`.
const HEADER: usize = std::mem::offset_of!(zend_string, val);

/// Where a [`JsonBuffer`] writes: room for a capacity of bytes, written
/// through a pointer.
pub trait Storage {
    /// What the written text becomes.
    type Text;
    /// Room for `capacity` bytes.
    fn with_capacity(capacity: usize) -> Self;
    /// Where the text starts: `capacity` bytes of room.
    fn start(&mut self) -> *mut u8;
    /// Room for `capacity` bytes (at least `len`), keeping the `len`
    /// written; a storage may keep more room than it is asked for.
    fn grow(&mut self, len: usize, capacity: usize);
    /// The text, of which the first `len` bytes were written.
    fn finish(self, len: usize) -> Self::Text;
}

/// JSON being written into a [`Storage`].
pub struct JsonBuffer<S: Storage> {
    storage: S,
    /// Bytes written.
    len: usize,
    /// Bytes there is room for.
    capacity: usize,
}

impl<S: Storage> JsonBuffer<S> {
    /// A buffer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        JsonBuffer {
            storage: S::with_capacity(capacity),
            len: 0,
            capacity,
        }
    }

    /// The bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The text written, in no more room than it needs and a page: a
    /// string that grew, or was given room for a longer one, gives the
    /// rest back rather than hold it against the request's memory_limit
    /// for as long as it lives (`erealloc` shrinks a large block where it
    /// is).
    pub fn finish(mut self) -> S::Text {
        if self.capacity - self.len > 4096 {
            self.storage.grow(self.len, self.len);
        }
        self.storage.finish(self.len)
    }

    /// Makes room for `more` bytes after those written.
    #[inline(always)]
    pub fn reserve(&mut self, more: usize) {
        if self.capacity - self.len < more {
            self.grow(more);
        }
    }

    /// Half as much room again, or what is needed and an eighth: not
    /// twice, as the string counts against PHP's memory_limit, and a long
    /// value (a 3 MB string) is then followed by room for the order's end,
    /// not by another 3 MB.
    #[cold]
    fn grow(&mut self, more: usize) {
        let needed = self.len.saturating_add(more);
        let capacity = (needed + needed / 8).max(self.capacity + self.capacity / 2);
        self.storage.grow(self.len, capacity);
        self.capacity = capacity;
    }

    /// Where the text goes.
    #[inline(always)]
    fn text(&mut self) -> *mut u8 {
        self.storage.start()
    }

    /// Appends `before`, `text` and `after`, where `before` and `after`
    /// are a few bytes of punctuation known where this is inlined.
    #[inline(always)]
    pub fn put(&mut self, before: &[u8], text: &[u8], after: &[u8]) {
        let total = before.len() + text.len() + after.len();
        self.reserve(total);
        // SAFETY: `reserve` made room for `total` bytes after `len`, which
        // the three copies fill exactly.
        unsafe {
            let out = self.text().add(self.len);
            ptr::copy_nonoverlapping(before.as_ptr(), out, before.len());
            copy_short(text.as_ptr(), out.add(before.len()), text.len());
            ptr::copy_nonoverlapping(
                after.as_ptr(),
                out.add(before.len() + text.len()),
                after.len(),
            );
        }
        self.len += total;
    }

    /// Appends `text` as a JSON string when it goes out as it is (no
    /// quote, backslash, control character or byte above 0x7f): the words
    /// loaded to copy it are checked on the way, so a plain string is read
    /// once. Returns `false` when it is not plain; what was copied is then
    /// not counted (`len` is unchanged) and the caller writes it otherwise.
    #[inline(always)]
    pub fn put_plain_string(&mut self, text: &[u8]) -> bool {
        let n = text.len();
        self.reserve(n + 2);
        // SAFETY: `reserve` made room for `n + 2` bytes after `len`: the
        // opening quote, the copy and the closing quote fill them exactly.
        unsafe {
            let out = self.text().add(self.len);
            out.write(b'"');
            if copy_plain(text.as_ptr(), out.add(1), n) != 0 {
                return false;
            }
            out.add(n + 1).write(b'"');
        }
        self.len += n + 2;
        true
    }

    /// Appends the first `len` bytes of `padded`, copying all of them (a
    /// fixed size: no branch on the length).
    #[inline(always)]
    pub fn put_padded<const N: usize>(&mut self, padded: &[u8; N], len: usize) {
        self.reserve(N);
        // SAFETY: `reserve` made room for `N` bytes after `len`; only the
        // first `len` (at most `N`) count.
        unsafe {
            ptr::write_unaligned(self.text().add(self.len).cast::<[u8; N]>(), *padded);
        }
        self.len += len.min(N);
    }

    /// Appends the first `len` bytes of `padded` (copying all of them, as
    /// [`JsonBuffer::put_padded`]) then `text` as a plain JSON string (as
    /// [`JsonBuffer::put_plain_string`]), with room made once; `false`,
    /// with nothing counted, when `text` is not plain.
    #[inline(always)]
    pub fn put_padded_and_plain_string<const N: usize>(
        &mut self,
        padded: &[u8; N],
        len: usize,
        text: &[u8],
    ) -> bool {
        let (len, n) = (len.min(N), text.len());
        self.reserve(N + n + 2);
        // SAFETY: `reserve` made room for `N + n + 2` bytes after `len`:
        // the padded bytes, then from the `len`-th of them on (N at most)
        // a quote, the copy and a quote.
        unsafe {
            let out = self.text().add(self.len);
            ptr::write_unaligned(out.cast::<[u8; N]>(), *padded);
            let value = out.add(len);
            value.write(b'"');
            if copy_plain(text.as_ptr(), value.add(1), n) != 0 {
                return false;
            }
            value.add(n + 1).write(b'"');
        }
        self.len += len + n + 2;
        true
    }

    /// Appends the first `len` bytes of `padded` then `text` (a few bytes:
    /// a number), with room made once.
    #[inline(always)]
    pub fn put_padded_and<const N: usize>(&mut self, padded: &[u8; N], len: usize, text: &[u8]) {
        let (len, n) = (len.min(N), text.len());
        self.reserve(N + n);
        // SAFETY: `reserve` made room for `N + n` bytes after `len`: the
        // padded bytes, then `text` from the `len`-th of them on.
        unsafe {
            let out = self.text().add(self.len);
            ptr::write_unaligned(out.cast::<[u8; N]>(), *padded);
            copy_short(text.as_ptr(), out.add(len), n);
        }
        self.len += len + n;
    }

    /// Appends one byte.
    #[inline(always)]
    pub fn push(&mut self, byte: u8) {
        self.reserve(1);
        // SAFETY: `reserve` made room for it.
        unsafe { self.text().add(self.len).write(byte) };
        self.len += 1;
    }
}

/// A `zend_string` being filled: the text of `Sequra\Order::encode`.
pub struct ZendText(NonNull<zend_string>);

impl Storage for ZendText {
    type Text = JsonString;

    fn with_capacity(capacity: usize) -> Self {
        ZendText(allocate(capacity))
    }

    #[inline(always)]
    fn start(&mut self) -> *mut u8 {
        text_of(self.0)
    }

    /// With `erealloc`, as `zend_string_extend` does: a large string grows
    /// where it is when the memory after it is free, so it is not held
    /// twice while it is copied.
    fn grow(&mut self, _len: usize, capacity: usize) {
        // SAFETY: the string was allocated with `emalloc` and is ours
        // alone; `erealloc` keeps its first bytes (header and text written)
        // and returns memory for `size` bytes or does not return (PHP's
        // out-of-memory error), like `emalloc`.
        let string = unsafe { erealloc(self.0.as_ptr().cast(), size_for(capacity)) };
        match NonNull::new(string.cast::<zend_string>()) {
            Some(string) => self.0 = string,
            // Never happens; this keeps it a clean abort.
            None => std::process::abort(),
        }
    }

    /// The PHP string, its length set and its text ended with a NUL.
    fn finish(self, len: usize) -> JsonString {
        let string = self.0;
        // SAFETY: the string has room for its capacity + 1 bytes of text,
        // `len` of them written; its header is initialised; `forget` hands
        // it over to the ZBox alone.
        unsafe {
            (*string.as_ptr()).len = len;
            text_of(string).add(len).write(0);
            std::mem::forget(self);
            JsonString(ZBox::from_raw(string.as_ptr()))
        }
    }
}

impl Drop for ZendText {
    fn drop(&mut self) {
        // SAFETY: the string was allocated with `emalloc` and is ours alone.
        unsafe { efree(self.0.as_ptr().cast()) };
    }
}

/// A vector being filled: the body of a request.
pub struct VecText(Vec<u8>);

impl Storage for VecText {
    type Text = Vec<u8>;

    fn with_capacity(capacity: usize) -> Self {
        VecText(Vec::with_capacity(capacity))
    }

    #[inline(always)]
    fn start(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }

    fn grow(&mut self, len: usize, capacity: usize) {
        // SAFETY: the first `len` bytes were written (see `finish`); the
        // vector's length is 0 again at once, as it stays while it is
        // written through `start`.
        unsafe { self.0.set_len(len) };
        self.0.reserve_exact(capacity - len);
        unsafe { self.0.set_len(0) };
    }

    fn finish(mut self, len: usize) -> Vec<u8> {
        // SAFETY: `JsonBuffer` wrote the first `len` bytes, within the
        // capacity it was given room for.
        unsafe { self.0.set_len(len) };
        self.0
    }
}

/// A new `zend_string` (refcount 1, not interned) with room for `capacity`
/// bytes and a NUL, as `zend_string_alloc` makes it.
fn allocate(capacity: usize) -> NonNull<zend_string> {
    let size = size_for(capacity);
    // `emalloc` returns memory for `size` bytes or does not return (PHP's
    // out-of-memory error); it returns null only for an alignment above 8.
    let Some(string) = Layout::from_size_align(size, 8)
        .ok()
        .and_then(|layout| NonNull::new(emalloc(layout).cast::<zend_string>()))
    else {
        // Neither happens; this keeps it a clean abort.
        std::process::abort();
    };
    // SAFETY: the header is written before any read.
    unsafe {
        let header = string.as_ptr();
        (*header).gc.refcount = 1;
        (*header).gc.u.type_info = GC_STRING;
        (*header).h = 0;
        (*header).len = 0;
        string
    }
}

/// The bytes a `zend_string` of `capacity` bytes of text takes: its
/// header, the text and a NUL, 8-aligned (`_ZSTR_STRUCT_SIZE`).
fn size_for(capacity: usize) -> usize {
    (HEADER + capacity + 1 + 7) & !7
}

/// `erealloc` (`Zend/zend_alloc.h`), which ext-php-rs does not bind; a
/// debug build of PHP takes the caller's file and line too.
unsafe fn erealloc(block: *mut c_void, size: usize) -> *mut c_void {
    extern "C" {
        #[cfg(not(php_debug))]
        fn _erealloc(block: *mut c_void, size: usize) -> *mut c_void;
        #[cfg(php_debug)]
        fn _erealloc(
            block: *mut c_void,
            size: usize,
            file: *const std::ffi::c_char,
            line: u32,
            orig_file: *const std::ffi::c_char,
            orig_line: u32,
        ) -> *mut c_void;
    }
    // SAFETY: as the caller's.
    unsafe {
        #[cfg(not(php_debug))]
        return _erealloc(block, size);
        #[cfg(php_debug)]
        return _erealloc(block, size, ptr::null(), 0, ptr::null(), 0);
    }
}

#[inline(always)]
fn text_of(string: NonNull<zend_string>) -> *mut u8 {
    // SAFETY: `val` is within the allocation (see `allocate`).
    unsafe { ptr::addr_of_mut!((*string.as_ptr()).val).cast::<u8>() }
}

/// Copies `n` bytes from `src` to `dst` (which do not overlap): up to 32
/// with two overlapping moves of a word, more with `memcpy`.
///
/// # Safety
///
/// `src` must be valid for reading `n` bytes and `dst` for writing them.
#[inline(always)]
unsafe fn copy_short(src: *const u8, dst: *mut u8, n: usize) {
    unsafe {
        match n {
            17..=32 => {
                let head = ptr::read_unaligned(src.cast::<u128>());
                let tail = ptr::read_unaligned(src.add(n - 16).cast::<u128>());
                ptr::write_unaligned(dst.cast::<u128>(), head);
                ptr::write_unaligned(dst.add(n - 16).cast::<u128>(), tail);
            }
            8..=16 => {
                let head = ptr::read_unaligned(src.cast::<u64>());
                let tail = ptr::read_unaligned(src.add(n - 8).cast::<u64>());
                ptr::write_unaligned(dst.cast::<u64>(), head);
                ptr::write_unaligned(dst.add(n - 8).cast::<u64>(), tail);
            }
            4..=7 => {
                let head = ptr::read_unaligned(src.cast::<u32>());
                let tail = ptr::read_unaligned(src.add(n - 4).cast::<u32>());
                ptr::write_unaligned(dst.cast::<u32>(), head);
                ptr::write_unaligned(dst.add(n - 4).cast::<u32>(), tail);
            }
            0..=3 => {
                for i in 0..n {
                    *dst.add(i) = *src.add(i);
                }
            }
            _ => ptr::copy_nonoverlapping(src, dst, n),
        }
    }
}

/// Copies `n` bytes from `src` to `dst` (which do not overlap) as
/// [`copy_short`] does, and returns [`json_text::specials`] of what it
/// copied: 0 when every byte goes out as it is.
///
/// # Safety
///
/// `src` must be valid for reading `n` bytes and `dst` for writing them.
#[inline(always)]
unsafe fn copy_plain(src: *const u8, dst: *mut u8, n: usize) -> u64 {
    let word = |at: usize| unsafe { ptr::read_unaligned(src.add(at).cast::<u64>()) };
    let put = |at: usize, w: u64| unsafe { ptr::write_unaligned(dst.add(at).cast::<u64>(), w) };
    match n {
        17..=32 => {
            let (a, b, c, d) = (word(0), word(8), word(n - 16), word(n - 8));
            put(0, a);
            put(8, b);
            put(n - 16, c);
            put(n - 8, d);
            json_text::specials(a)
                | json_text::specials(b)
                | json_text::specials(c)
                | json_text::specials(d)
        }
        8..=16 => {
            let (a, b) = (word(0), word(n - 8));
            put(0, a);
            put(n - 8, b);
            json_text::specials(a) | json_text::specials(b)
        }
        4..=7 => unsafe {
            let head = ptr::read_unaligned(src.cast::<u32>());
            let tail = ptr::read_unaligned(src.add(n - 4).cast::<u32>());
            ptr::write_unaligned(dst.cast::<u32>(), head);
            ptr::write_unaligned(dst.add(n - 4).cast::<u32>(), tail);
            json_text::specials(u64::from(head) | u64::from(tail) << 32)
        },
        1..=3 => unsafe {
            let (first, middle, last) = (*src, *src.add(n / 2), *src.add(n - 1));
            *dst = first;
            *dst.add(n / 2) = middle;
            *dst.add(n - 1) = last;
            // The other bytes of the word are spaces, which are plain.
            json_text::specials(u64::from_le_bytes([
                first, middle, last, b' ', b' ', b' ', b' ', b' ',
            ]))
        },
        0 => 0,
        _ => {
            // Eight bytes at a time, the last word overlapping; stopping at
            // the first word that is not plain.
            let mut at = 0;
            while at + 8 < n {
                let w = word(at);
                put(at, w);
                let flags = json_text::specials(w);
                if flags != 0 {
                    return flags;
                }
                at += 8;
            }
            let w = word(n - 8);
            put(n - 8, w);
            json_text::specials(w)
        }
    }
}

/// The JSON of an order as the PHP string it is written in.
pub struct JsonString(ZBox<ZendStr>);

impl IntoZval for JsonString {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_zend_string(self.0);
        Ok(())
    }
}
