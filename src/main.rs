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

fn main() -> std::process::ExitCode {
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
