//! The command line's memory allocator: mimalloc, called the way that costs least.
//!
//! The `mimalloc` crate passes every allocation to `mi_malloc_aligned`, whose checks cost more than
//! the allocation itself in mimalloc 3: a build of 200 plans ran 2% more instructions through it
//! (callgrind) than through `mi_malloc`. Here only alignments `mi_malloc` may not give take that
//! path. (Rust's own `System` allocator makes the same choice for the C library's `malloc`.)

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned,
};

#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc as Rust's global allocator.
struct Mimalloc;

/// The alignment every block of `mi_malloc` has: its sizes are multiples of a machine word, and
/// its pages start at 16 bytes (`MI_INTPTR_SIZE`, `MI_PAGE_MIN_START_BLOCK_ALIGN` in mimalloc's
/// `types.h`).
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each method passes the layout's size and, when it may exceed a word, its alignment to
// the matching mimalloc function, which returns a block of at least that size and alignment, or
// null when out of memory, as `GlobalAlloc` asks; blocks are freed by `mi_free`, which takes a
// block from any of them.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from one of the functions above.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from one of the functions above, with this layout's alignment.
        unsafe {
            if layout.align() <= WORD {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Blocks of every small size and alignment come back aligned, keep their bytes when they
    /// grow, and start zeroed when asked.
    #[test]
    fn blocks_are_aligned_and_keep_their_contents() {
        use std::alloc::{GlobalAlloc, Layout};
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 24, 100, 5000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; every block is freed with the layout it was made with.
                unsafe {
                    let zeroed = super::ALLOCATOR.alloc_zeroed(layout);
                    assert!(!zeroed.is_null() && zeroed as usize % align == 0, "{size} {align}");
                    assert!(std::slice::from_raw_parts(zeroed, size).iter().all(|&b| b == 0));
                    zeroed.write_bytes(7, size);
                    let grown = super::ALLOCATOR.realloc(zeroed, layout, size * 3);
                    assert!(!grown.is_null() && grown as usize % align == 0, "{size} {align} grown");
                    assert!(std::slice::from_raw_parts(grown, size).iter().all(|&b| b == 7));
                    super::ALLOCATOR.dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());
                }
            }
        }
    }
}
