//! The `sopctl` command. Everything happens in [`sopctl::cli`].

/// The stack the command runs on. Documents are trees, and a Markdown file may nest block
/// quotes or lists thousands deep (SPEC §9): converting, laying out and dropping such a tree
/// takes one stack frame per level. The operating system only commits the pages a run touches,
/// so a large reservation costs nothing for ordinary documents.
const STACK_BYTES: usize = 1 << 30;

/// mimalloc: sopctl makes and frees many small strings and trees (a document model, the units
/// of a comparison); mimalloc serves them from per-thread pages that it reuses, where the
/// system allocator gives memory back and faults fresh pages in again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// libgit2 allocates through mimalloc too (issue 15 item 7). Left to the C library's `malloc`,
/// libgit2 on a worker thread grows that thread's heap a page at a time as it keeps the objects
/// it read, and each growth is a system call and a page fault: on the 2,000-commit benchmark
/// `verify` took 2,400 page faults and 1,800 `mprotect` calls, a quarter of its time; through
/// mimalloc, 530 faults and none.
mod git_allocator {
    #![allow(unsafe_code)]

    use std::ffi::{c_char, c_int, c_void};

    /// libgit2's `git_allocator` (include/git2/sys/alloc.h, libgit2 1.9): `malloc`, `realloc`
    /// and `free`, each told the C file and line asking (unused here).
    #[repr(C)]
    struct GitAllocator {
        gmalloc: unsafe extern "C" fn(usize, *const c_char, c_int) -> *mut c_void,
        grealloc: unsafe extern "C" fn(*mut c_void, usize, *const c_char, c_int) -> *mut c_void,
        gfree: unsafe extern "C" fn(*mut c_void),
    }

    unsafe extern "C" fn gmalloc(size: usize, _: *const c_char, _: c_int) -> *mut c_void {
        // SAFETY: mi_malloc takes any size and returns null when it cannot allocate, as
        // libgit2 expects of malloc.
        unsafe { libmimalloc_sys::mi_malloc(size) }
    }

    unsafe extern "C" fn grealloc(
        ptr: *mut c_void,
        size: usize,
        _: *const c_char,
        _: c_int,
    ) -> *mut c_void {
        // SAFETY: `ptr` is null or was allocated by gmalloc/grealloc (libgit2 frees and
        // reallocates only what its allocator gave it), as mi_realloc requires.
        unsafe { libmimalloc_sys::mi_realloc(ptr, size) }
    }

    unsafe extern "C" fn gfree(ptr: *mut c_void) {
        // SAFETY: as for grealloc: null or allocated by this allocator.
        unsafe { libmimalloc_sys::mi_free(ptr) }
    }

    static ALLOCATOR: GitAllocator = GitAllocator {
        gmalloc,
        grealloc,
        gfree,
    };

    /// Makes libgit2 allocate through mimalloc. Must run before anything else calls libgit2:
    /// memory allocated by one allocator must not be freed by the other.
    pub(super) fn install() {
        // SAFETY: GIT_OPT_SET_ALLOCATOR takes a pointer to a `git_allocator`, which it copies
        // (libgit2's settings.c, `git_allocator_setup`); it is called before libgit2 is
        // initialized or used, and `git_libgit2_init` keeps an allocator set before it.
        unsafe {
            libgit2_sys::git_libgit2_opts(
                libgit2_sys::GIT_OPT_SET_ALLOCATOR as c_int,
                &raw const ALLOCATOR,
            );
        }
    }
}

fn main() -> std::process::ExitCode {
    git_allocator::install();
    let worker = std::thread::Builder::new()
        .name("sopctl".to_string())
        .stack_size(STACK_BYTES)
        .spawn(sopctl::cli::main);
    match worker {
        Ok(handle) => handle.join().unwrap_or(std::process::ExitCode::from(101)),
        // No thread could be made (a tight memory limit): run on the main thread instead.
        Err(_) => sopctl::cli::main(),
    }
}
