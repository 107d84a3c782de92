// jemalloc's options for the binaries that link it (qantara_malloc in the top
// CMakeLists.txt: the server, the CLI, tm_bench), read when it starts; the
// MALLOC_CONF environment variable still overrides them. Linked only when
// jemalloc is (not in sanitizer builds: see the top CMakeLists.txt).
//
// percpu_arena:percpu: one arena per CPU, used by whichever thread runs on
// it, instead of four arenas per CPU each thread keeps to. A bulk import
// frees on other threads than it allocates (analysis, writer, index writer,
// RocksDB's flushes); with fewer arenas, fewer freed pages wait in them for
// reuse. tests/bench/import_export_bench.py, a million TUs: server peak RSS
// about 370 -> 310 MB, import speed unchanged.
extern "C" {
// NOLINTNEXTLINE: the name jemalloc looks for.
const char* malloc_conf = "percpu_arena:percpu";
}
