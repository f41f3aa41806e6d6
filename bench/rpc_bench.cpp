// RPC benchmark over loopback TCP: corothrift's coroutine client and server vs Apache
// Thrift 0.17 C++, in one binary, in one run. Both sides speak TFramedTransport +
// TBinaryProtocol and serve bench/echo.thrift:
//   echo_small(i64, string) -> i64      a few bytes each way
//   echo_blob(binary)       -> binary   64 KiB each way
//
// corothrift: the server runs in this process on its own thread (an io_context run by one
// thread); the client io_context runs on another thread; K outstanding calls are K
// coroutines, each looping `co_await client.echo_small(...)`, all on ONE pipelined
// connection (or on N connections with ours:N).
// Apache: the server runs in this process (TNonblockingServer with a thread manager, or
// TThreadedServer); K client threads, each with its own connection and sync client
// (TFramedTransport + TBinaryProtocol over TSocket), each looping calls.
//
// Each scenario (implementation x call x concurrency) is measured over a fixed wall-clock
// window after a warm-up, repeated --reps times (repetitions are interleaved across
// implementations), and reported as medians: calls/s, per-call latency p50/p99 (fixed
// log-linear histograms, preallocated: the harness allocates nothing in the measured
// path), process CPU time per call, and heap allocations per call. The allocation count
// replaces malloc/calloc/realloc/aligned_alloc/... and the global operator new in this
// binary, so it covers everything in the process (client AND server, Asio, libthrift,
// libevent, libstdc++) during the measured window, divided by the calls completed in it.
//
// --trace-allocs records the call stack of every allocation during the measured window
// and prints the most frequent ones (symbolised with addr2line; build with debug info for
// file:line, e.g. meson setup -Ddebug=true).
//
// One call at a time (K=1) is a ping-pong of thread wake-ups: on a VM its figures depend
// on where the scheduler puts the threads and on how fast a halted vCPU wakes up, so they
// move by 2-4x with whatever else the machine runs (--awake, SCHED_IDLE spinners that keep
// the vCPUs from halting, changes them too). Compare K=1 only within one run.
//
//     rpc_bench                                  # full run: prints the table
//     rpc_bench --md rpc.md --json rpc.json      # ... and writes it for the README
//     rpc_bench --impls ours --calls small --conc 256 --reps 1 --trace-allocs
//     rpc_bench --help
#include "echo_rpc.hpp"

#include <thrift/concurrency/ThreadFactory.h>
#include <thrift/concurrency/ThreadManager.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TServer.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TSocket.h>
#if COROTHRIFT_BENCH_NONBLOCKING
#include <thrift/server/TNonblockingServer.h>
#include <thrift/transport/TNonblockingServerSocket.h>
#endif

#include "Echo.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

// ==== heap allocation counting ================================================================
// Every allocation in the process lands in malloc & co. (libstdc++'s operator new, Asio's
// recycling allocator via aligned_alloc, libthrift, libevent); we replace them here and
// forward to glibc. Each thread counts in its own cache line; the totals are summed when
// a window opens and closes.

// Sanitizers replace malloc themselves: no counting there (allocations read 0).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COROTHRIFT_BENCH_COUNT_ALLOCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define COROTHRIFT_BENCH_COUNT_ALLOCS 0
#endif
#endif
#ifndef COROTHRIFT_BENCH_COUNT_ALLOCS
#define COROTHRIFT_BENCH_COUNT_ALLOCS 1
#endif

extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void* __libc_valloc(std::size_t);
void* __libc_pvalloc(std::size_t);
}

namespace counting {

struct alignas(64) Slot {
  std::atomic<std::uint64_t> heap{0};  // malloc-family allocations (operator new included)
  std::atomic<std::uint64_t> news{0};  // operator new calls
};
constexpr int kSlots = 2048;
Slot slots[kSlots];  // slot 0: threads without a slot of their own
constinit std::atomic<int> used{1};
// Slots of threads that ended, for reuse (counters only grow, so a reused slot keeps counting).
constinit std::atomic_flag free_lock = ATOMIC_FLAG_INIT;
int free_slots[kSlots];
int free_count = 0;
pthread_key_t key;
constinit std::atomic<bool> key_ready{false};
constinit thread_local int my_slot = -1;

void release_slot(void* v) {
  int s = static_cast<int>(reinterpret_cast<std::intptr_t>(v)) - 1;
  if (s <= 0) return;
  while (free_lock.test_and_set(std::memory_order_acquire)) {
  }
  free_slots[free_count++] = s;
  free_lock.clear(std::memory_order_release);
}

Slot& slot() {
  int s = my_slot;
  if (s >= 0) return slots[s];
  if (!key_ready.load(std::memory_order_acquire)) return slots[0];
  s = 0;
  while (free_lock.test_and_set(std::memory_order_acquire)) {
  }
  if (free_count > 0) s = free_slots[--free_count];
  free_lock.clear(std::memory_order_release);
  if (s == 0) {
    s = used.fetch_add(1, std::memory_order_relaxed);
    if (s >= kSlots) {
      used.store(kSlots, std::memory_order_relaxed);
      s = 0;
    }
  }
  my_slot = s;
  if (s > 0) pthread_setspecific(key, reinterpret_cast<void*>(static_cast<std::intptr_t>(s + 1)));
  return slots[s];
}

void init() {
  pthread_key_create(&key, release_slot);
  key_ready.store(true, std::memory_order_release);
}

struct Totals {
  std::uint64_t heap = 0, news = 0;
};
Totals totals() {
  Totals t;
  int n = std::min(used.load(std::memory_order_relaxed), kSlots);
  for (int i = 0; i < n; ++i) {
    t.heap += slots[i].heap.load(std::memory_order_relaxed);
    t.news += slots[i].news.load(std::memory_order_relaxed);
  }
  return t;
}

// ---- --trace-allocs: stacks of the allocations in the measured window -----------------
constinit std::atomic<bool> tracing{false};
constexpr int kDepth = 40;
struct Stack {
  std::uint64_t hash = 0;
  int role = 0;
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
  int depth = 0;
  void* pc[kDepth];
};
constexpr std::size_t kStacks = 4096;
Stack stacks[kStacks];
constinit std::atomic_flag stacks_lock = ATOMIC_FLAG_INIT;
constinit std::atomic<std::uint64_t> stacks_dropped{0};
constinit thread_local bool in_trace = false;
// Which thread allocated (set by the threads this binary starts; 0: any other thread,
// e.g. Apache's server threads).
enum Role : int { other = 0, ours_client = 1, ours_server = 2, apache_client = 3 };
constinit thread_local int role = other;
const char* role_name(int r) {
  switch (r) {
    case ours_client: return "corothrift client thread";
    case ours_server: return "corothrift server thread";
    case apache_client: return "Apache client thread";
    default: return "other thread (Apache server / main)";
  }
}

[[gnu::noinline]] void record(std::size_t size) {
  if (in_trace) return;
  in_trace = true;
  void* pc[kDepth + 1];
  int n = backtrace(pc, kDepth + 1) - 1;  // without this function
  std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(role);
  for (int i = 0; i < n; ++i) h = (h ^ reinterpret_cast<std::uintptr_t>(pc[i + 1])) * 1099511628211ull;
  while (stacks_lock.test_and_set(std::memory_order_acquire)) {
  }
  std::size_t i = h % kStacks, probes = 0;
  for (; probes < kStacks; ++probes, i = (i + 1) % kStacks) {
    Stack& s = stacks[i];
    if (s.count == 0) {
      s.hash = h;
      s.role = role;
      s.depth = n;
      std::memcpy(s.pc, pc + 1, sizeof(void*) * static_cast<std::size_t>(n));
    } else if (s.hash != h || s.role != role || s.depth != n || std::memcmp(s.pc, pc + 1, sizeof(void*) * static_cast<std::size_t>(n)) != 0) {
      continue;
    }
    ++s.count;
    s.bytes += size;
    break;
  }
  if (probes == kStacks) stacks_dropped.fetch_add(1, std::memory_order_relaxed);
  stacks_lock.clear(std::memory_order_release);
  in_trace = false;
}

inline void count_heap(std::size_t size) {
  slot().heap.fetch_add(1, std::memory_order_relaxed);
  if (tracing.load(std::memory_order_relaxed)) [[unlikely]]
    record(size);
}

}  // namespace counting

#if COROTHRIFT_BENCH_COUNT_ALLOCS
extern "C" {
void* malloc(std::size_t size) noexcept {
  counting::count_heap(size);
  return __libc_malloc(size);
}
void free(void* p) noexcept { __libc_free(p); }
void* calloc(std::size_t n, std::size_t size) noexcept {
  counting::count_heap(n * size);
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t size) noexcept {
  if (size != 0) counting::count_heap(size);
  return __libc_realloc(p, size);
}
void* memalign(std::size_t align, std::size_t size) noexcept {
  counting::count_heap(size);
  return __libc_memalign(align, size);
}
void* aligned_alloc(std::size_t align, std::size_t size) noexcept {
  counting::count_heap(size);
  return __libc_memalign(align, size);
}
int posix_memalign(void** out, std::size_t align, std::size_t size) noexcept {
  if (align < sizeof(void*) || (align & (align - 1)) != 0) return 22;  // EINVAL
  counting::count_heap(size);
  void* p = __libc_memalign(align, size);
  if (!p) return 12;  // ENOMEM
  *out = p;
  return 0;
}
void* valloc(std::size_t size) noexcept {
  counting::count_heap(size);
  return __libc_valloc(size);
}
void* pvalloc(std::size_t size) noexcept {
  counting::count_heap(size);
  return __libc_pvalloc(size);
}
}

namespace {
void* counted_new(std::size_t size) {
  counting::slot().news.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  if (void* p = malloc(size)) return p;
  throw std::bad_alloc();
}
void* counted_new_aligned(std::size_t size, std::align_val_t align) {
  counting::slot().news.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  if (void* p = aligned_alloc(static_cast<std::size_t>(align), (size + static_cast<std::size_t>(align) - 1) &
                                                                    ~(static_cast<std::size_t>(align) - 1)))
    return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t a) { return counted_new_aligned(size, a); }
void* operator new[](std::size_t size, std::align_val_t a) { return counted_new_aligned(size, a); }
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted_new_aligned(size, a);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted_new_aligned(size, a);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, std::size_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t) noexcept { free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
#endif  // COROTHRIFT_BENCH_COUNT_ALLOCS

namespace {

using Clock = std::chrono::steady_clock;

// ==== latency histogram ==========================================================================
// Log-linear buckets over nanoseconds: exact below 128 ns, then 64 buckets per power of two
// (under 1% error). Fixed size: recording never allocates.
class Histogram {
 public:
  static constexpr int kSub = 64;
  static constexpr int kBuckets = kSub * 40;
  void add(std::uint64_t ns) noexcept {
    ++count_;
    ++b_[index(ns)];
  }
  void merge(const Histogram& o) noexcept {
    count_ += o.count_;
    for (int i = 0; i < kBuckets; ++i) b_[i] += o.b_[i];
  }
  std::uint64_t count() const noexcept { return count_; }
  /// The value (ns) at quantile q in [0, 1] (the middle of its bucket).
  double quantile(double q) const noexcept {
    if (count_ == 0) return 0;
    std::uint64_t rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1)) + 1, seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += b_[i];
      if (seen >= rank) return value(i);
    }
    return value(kBuckets - 1);
  }

 private:
  static int index(std::uint64_t v) noexcept {
    if (v < 2 * kSub) return static_cast<int>(v);
    int msb = 63 - std::countl_zero(v);
    int i = (msb - 5) * kSub + static_cast<int>((v >> (msb - 6)) & (kSub - 1));
    return std::min(i, kBuckets - 1);
  }
  static double value(int i) noexcept {
    if (i < 2 * kSub) return i;
    int msb = i / kSub + 5;
    double width = static_cast<double>(std::uint64_t{1} << (msb - 6));
    return static_cast<double>(std::uint64_t{1} << msb) + (i % kSub) * width + width / 2;
  }
  std::uint64_t count_ = 0;
  std::array<std::uint64_t, kBuckets> b_{};
};

// ==== configuration ================================================================================
enum class Call { small, blob };
const char* name_of(Call c) { return c == Call::small ? "small" : "64KiB"; }

enum class Kind { ours, apache_nb, apache_threaded };
struct Impl {
  Kind kind = Kind::ours;
  int param = 1;  // ours: connections; apache_nb: worker threads (0 = handlers on the IO thread)
  std::string label() const {
    switch (kind) {
      case Kind::ours: return param == 1 ? "corothrift" : "corothrift(" + std::to_string(param) + " conns)";
      case Kind::apache_nb:
        return param == 0 ? "Apache TNonblockingServer(inline)"
                          : "Apache TNonblockingServer(" + std::to_string(param) + " workers)";
      case Kind::apache_threaded: return "Apache TThreadedServer";
    }
    return "?";
  }
  std::string spec() const {
    switch (kind) {
      case Kind::ours: return param == 1 ? "ours" : "ours:" + std::to_string(param);
      case Kind::apache_nb: return "apache-nb:" + std::to_string(param);
      case Kind::apache_threaded: return "apache-threaded";
    }
    return "?";
  }
  bool apache() const { return kind != Kind::ours; }
};

struct Config {
  int reps = 5;
  double seconds = 1.5;
  double warmup = 0.5;
  std::vector<int> conc{1, 16, 256};
  std::vector<Call> calls{Call::small, Call::blob};
  std::vector<Impl> impls;
  std::string json_path, md_path;
  bool trace = false;
  int trace_top = 25;
  bool trace_full = false;
  bool quiet = false;
  bool awake = false;
  double max_allocs = -1;  // --max-allocs: fail when a small corothrift call allocates more
};

constexpr std::size_t kBlobSize = 64 * 1024;
const std::string kTag = "bench";  // short: no allocation for the string on either side

std::string make_blob() {
  std::string b(kBlobSize, '\0');
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<char>(i * 131 + 7);
  return b;
}

// ==== one measurement ===============================================================================
// The controller (main thread) opens the window: warm-up -> measure -> stop. Workers count
// the calls that complete while the phase is `measure`.
enum Phase : int { warmup = 0, measure = 1, stop = 2 };
std::atomic<int> g_phase{warmup};

struct Sample {
  double calls_per_s = 0, p50_us = 0, p99_us = 0, p999_us = 0;
  double allocs_per_call = 0, news_per_call = 0, cpu_us_per_call = 0;
  std::uint64_t calls = 0, errors = 0, reconnects = 0;
  std::string error;
};

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/// Run the window once everything is connected and calling; fills calls/s, allocations
/// and CPU per call from `calls_in_window()` (read after the workers stopped).
struct Window {
  counting::Totals a0, a1;
  double cpu0 = 0, cpu1 = 0;
  Clock::time_point t0, t1;
  void run(const Config& cfg) {
    g_phase.store(warmup);
    std::this_thread::sleep_for(std::chrono::duration<double>(cfg.warmup));
    a0 = counting::totals();
    cpu0 = cpu_seconds();
    t0 = Clock::now();
    if (cfg.trace) counting::tracing.store(true);
    g_phase.store(measure);
    std::this_thread::sleep_for(std::chrono::duration<double>(cfg.seconds));
    g_phase.store(stop);
    counting::tracing.store(false);
    t1 = Clock::now();
    cpu1 = cpu_seconds();
    a1 = counting::totals();
  }
  void fill(Sample& s, const Histogram& h) const {
    s.calls = h.count();
    double secs = std::chrono::duration<double>(t1 - t0).count();
    s.calls_per_s = static_cast<double>(s.calls) / secs;
    s.p50_us = h.quantile(0.50) / 1e3;
    s.p99_us = h.quantile(0.99) / 1e3;
    s.p999_us = h.quantile(0.999) / 1e3;
    double n = s.calls ? static_cast<double>(s.calls) : 1.0;
    s.allocs_per_call = static_cast<double>(a1.heap - a0.heap) / n;
    s.news_per_call = static_cast<double>(a1.news - a0.news) / n;
    s.cpu_us_per_call = (cpu1 - cpu0) * 1e6 / n;
  }
};

// A scenario that hangs (a bug) must not hang the run: a watchdog ends the process.
std::atomic<std::uint64_t> g_progress{0};
void start_watchdog() {
  std::thread([] {
    std::uint64_t last = ~std::uint64_t{0};
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(120));
      std::uint64_t now = g_progress.load();
      if (now == last) {
        std::fprintf(stderr, "rpc_bench: a scenario made no progress for 120 s; giving up\n");
        std::_Exit(3);
      }
      last = now;
    }
  }).detach();
}

// ==== corothrift ====================================================================================
struct OursHandler final : echo::EchoHandler {
  asio::awaitable<std::int64_t> echo_small(std::int64_t id, std::string tag) override {
    co_return id + static_cast<std::int64_t>(tag.size());
  }
  asio::awaitable<std::string> echo_blob(std::string data) override { co_return std::move(data); }
};

struct OursClientSide {
  Histogram hist;  // every worker runs on the client thread: one histogram, no locking
  std::uint64_t errors = 0;
  std::string error;
  int live = 0;
  bool ready = false;
};

asio::awaitable<void> ours_worker(corothrift::Client<echo::Echo>& client, Call call, const std::string& blob,
                                  OursClientSide& side, asio::steady_timer& done) {
  std::int64_t id = 1;
  while (g_phase.load(std::memory_order_relaxed) != stop) {
    Clock::time_point t0 = Clock::now();
    try {
      if (call == Call::small) {
        std::int64_t r = co_await client.echo_small(id, kTag);
        if (r != id + static_cast<std::int64_t>(kTag.size())) ++side.errors;
      } else {
        std::string r = co_await client.echo_blob(blob);
        if (r.size() != blob.size()) ++side.errors;
      }
    } catch (const std::exception& e) {
      ++side.errors;
      if (side.error.empty()) side.error = e.what();
      break;
    }
    Clock::time_point t1 = Clock::now();
    if (g_phase.load(std::memory_order_relaxed) == measure)
      side.hist.add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    ++id;
    g_progress.fetch_add(1, std::memory_order_relaxed);
  }
  if (--side.live == 0) done.cancel();
}

asio::awaitable<void> ours_drive(std::uint16_t port, int outstanding, int conns, Call call, const std::string& blob,
                                 OursClientSide& side, std::atomic<bool>& ready) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<corothrift::Client<echo::Echo>> clients;
  clients.reserve(static_cast<std::size_t>(conns));
  corothrift::ClientOptions options;
  options.max_in_flight = 1024;
  for (int i = 0; i < conns; ++i) {
    auto c = co_await corothrift::connect<echo::Echo>(ex, "127.0.0.1", port, options);
    clients.push_back(std::move(c));
  }
  // Check the echo once before timing.
  if (call == Call::small) {
    std::int64_t r = co_await clients[0].echo_small(41, kTag);
    if (r != 41 + static_cast<std::int64_t>(kTag.size())) throw std::runtime_error("echo_small returned a wrong value");
  } else {
    std::string r = co_await clients[0].echo_blob(blob);
    if (r != blob) throw std::runtime_error("echo_blob returned different bytes");
  }
  asio::steady_timer done(ex);
  done.expires_at(asio::steady_timer::time_point::max());
  side.live = outstanding;
  for (int k = 0; k < outstanding; ++k)
    asio::co_spawn(ex, ours_worker(clients[static_cast<std::size_t>(k % conns)], call, blob, side, done), asio::detached);
  ready.store(true);
  std::error_code ignored;
  co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  clients.clear();  // closes the connections
}

Sample run_ours(const Config& cfg, Call call, int outstanding, int conns, const std::string& blob) {
  Sample s;
  asio::io_context server_io(1);
  auto server_guard = asio::make_work_guard(server_io);
  OursHandler handler;
  corothrift::ServerOptions sopts;
  sopts.max_in_flight_per_connection = 1024;
  auto server = std::make_unique<corothrift::Server>(server_io.get_executor(), sopts);
  server->add_service<echo::Echo>(handler);
  auto ep = server->listen("127.0.0.1", 0);
  std::thread server_thread([&] {
    counting::role = counting::ours_server;
    server_io.run();
  });

  asio::io_context client_io(1);
  auto side = std::make_unique<OursClientSide>();
  std::atomic<bool> ready{false}, finished{false};
  g_phase.store(warmup);
  asio::co_spawn(client_io, ours_drive(ep.port(), outstanding, conns, call, blob, *side, ready),
                 [&](std::exception_ptr e) {
                   if (e) {
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       side->error = ex.what();
                     }
                     ++side->errors;
                   }
                   finished.store(true);
                 });
  std::thread client_thread([&] {
    counting::role = counting::ours_client;
    client_io.run();
  });
  while (!ready.load() && !finished.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Window w;
  if (ready.load()) w.run(cfg);
  g_phase.store(stop);
  client_thread.join();
  asio::post(server_io, [&] { server->stop(); });
  server_guard.reset();
  server_thread.join();
  server.reset();
  w.fill(s, side->hist);
  s.errors = side->errors;
  s.error = side->error;
  return s;
}

// ==== Apache Thrift ===================================================================================
namespace at = apache::thrift;

class ApacheHandler final : public echo_apache::EchoIf {
 public:
  int64_t echo_small(const int64_t id, const std::string& tag) override { return id + static_cast<int64_t>(tag.size()); }
  void echo_blob(std::string& ret, const std::string& data) override { ret = data; }
};

class ReadySignal final : public at::server::TServerEventHandler {
 public:
  void preServe() override { ready.set_value(); }
  std::promise<void> ready;
};

/// An Apache server running on its own thread.
class ApacheServer {
 public:
  ApacheServer(const Impl& impl) {
    auto handler = std::make_shared<ApacheHandler>();
    auto processor = std::make_shared<echo_apache::EchoProcessor>(handler);
    auto protocol = std::make_shared<at::protocol::TBinaryProtocolFactory>();
    auto signal = std::make_shared<ReadySignal>();
    auto ready = signal->ready.get_future();
    if (impl.kind == Kind::apache_threaded) {
      auto socket = std::make_shared<at::transport::TServerSocket>("127.0.0.1", 0);
      server_ = std::make_shared<at::server::TThreadedServer>(
          processor, socket, std::make_shared<at::transport::TFramedTransportFactory>(), protocol);
      server_->setServerEventHandler(signal);
      thread_ = std::thread([this] { server_->serve(); });
      ready.wait();
      port_ = socket->getPort();
    } else {
#if COROTHRIFT_BENCH_NONBLOCKING
      auto socket = std::make_shared<at::transport::TNonblockingServerSocket>("127.0.0.1", 0);
      if (impl.param > 0) {
        threads_ = at::concurrency::ThreadManager::newSimpleThreadManager(static_cast<std::size_t>(impl.param));
        threads_->threadFactory(std::make_shared<at::concurrency::ThreadFactory>());
        threads_->start();
      }
      auto nb = std::make_shared<at::server::TNonblockingServer>(processor, protocol, socket, threads_);
      nb->setNumIOThreads(1);
      server_ = nb;
      server_->setServerEventHandler(signal);
      thread_ = std::thread([this] { server_->serve(); });
      ready.wait();
      port_ = nb->getListenPort();
#else
      throw std::runtime_error("built without TNonblockingServer (libthriftnb / libevent headers not found)");
#endif
    }
  }
  ~ApacheServer() {
    server_->stop();
    thread_.join();
    if (threads_) threads_->stop();
  }
  int port() const { return port_; }

 private:
  std::shared_ptr<at::server::TServer> server_;
  std::shared_ptr<at::concurrency::ThreadManager> threads_;
  std::thread thread_;
  int port_ = 0;
};

struct ApacheWorker {
  Histogram hist;
  std::uint64_t errors = 0, reconnects = 0;
  std::string error;
};

/// One Apache sync client: TFramedTransport + TBinaryProtocol over TSocket.
struct ApacheClient {
  explicit ApacheClient(int port) {
    auto socket = std::make_shared<at::transport::TSocket>("127.0.0.1", port);
    transport = std::make_shared<at::transport::TFramedTransport>(socket);
    client = std::make_unique<echo_apache::EchoClient>(std::make_shared<at::protocol::TBinaryProtocol>(transport));
    transport->open();
  }
  std::shared_ptr<at::transport::TTransport> transport;
  std::unique_ptr<echo_apache::EchoClient> client;
};

Sample run_apache(const Config& cfg, const Impl& impl, Call call, int outstanding, const std::string& blob) {
  Sample s;
  ApacheServer server(impl);
  std::vector<std::unique_ptr<ApacheWorker>> workers;
  for (int k = 0; k < outstanding; ++k) workers.push_back(std::make_unique<ApacheWorker>());
  std::atomic<int> connected{0}, failed{0};
  g_phase.store(warmup);
  std::vector<std::thread> threads;
  for (int k = 0; k < outstanding; ++k) {
    threads.emplace_back([&, k] {
      ApacheWorker& me = *workers[static_cast<std::size_t>(k)];
      counting::role = counting::apache_client;
      try {
        auto c = std::make_unique<ApacheClient>(server.port());
        std::string ret;
        if (call == Call::small) {
          if (c->client->echo_small(41, kTag) != 41 + static_cast<int64_t>(kTag.size()))
            throw std::runtime_error("echo_small returned a wrong value");
        } else {
          c->client->echo_blob(ret, blob);
          if (ret != blob) throw std::runtime_error("echo_blob returned different bytes");
        }
        connected.fetch_add(1);
        std::int64_t id = 1;
        while (g_phase.load(std::memory_order_relaxed) != stop) {
          Clock::time_point t0 = Clock::now();
          try {
            if (call == Call::small) {
              if (c->client->echo_small(id, kTag) != id + static_cast<int64_t>(kTag.size())) ++me.errors;
            } else {
              c->client->echo_blob(ret, blob);
              if (ret.size() != blob.size()) ++me.errors;
            }
          } catch (const at::transport::TTransportException& e) {
            // Apache 0.17's TThreadedServer drops a connection once it has read 100 MiB
            // (TConfiguration's max message size is never reset on its server transports):
            // the 64 KiB echo hits it after 1,599 calls. Reconnect, as its users must.
            if (e.getType() != at::transport::TTransportException::END_OF_FILE || me.reconnects > 100000) throw;
            ++me.reconnects;
            c.reset();
            c = std::make_unique<ApacheClient>(server.port());
            continue;
          }
          Clock::time_point t1 = Clock::now();
          if (g_phase.load(std::memory_order_relaxed) == measure)
            me.hist.add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
          ++id;
          g_progress.fetch_add(1, std::memory_order_relaxed);
        }
        c->transport->close();
      } catch (const std::exception& e) {
        ++me.errors;
        me.error = e.what();
        failed.fetch_add(1);
      }
    });
  }
  while (connected.load() + failed.load() < outstanding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Window w;
  if (failed.load() == 0) w.run(cfg);
  g_phase.store(stop);
  for (auto& t : threads) t.join();
  Histogram all;
  for (auto& wk : workers) {
    all.merge(wk->hist);
    s.errors += wk->errors;
    s.reconnects += wk->reconnects;
    if (s.error.empty() && !wk->error.empty()) s.error = wk->error;
  }
  w.fill(s, all);
  return s;
}

// ==== allocation stacks (--trace-allocs) ==============================================================
std::string demangle(const char* s) {
  int status = 0;
  char* d = abi::__cxa_demangle(s, nullptr, nullptr, &status);
  std::string out = (status == 0 && d) ? d : s;
  std::free(d);
  return out;
}

/// One source position of a frame: function and file:line (a frame has several when
/// calls were inlined into it; innermost first).
struct Place {
  std::string fn, loc;
};

/// Source positions of each return address (addr2line on the module it belongs to).
std::map<void*, std::vector<Place>> symbolize(const std::vector<void*>& pcs) {
  std::map<void*, std::vector<Place>> out;
  Dl_info self{};
  dladdr(reinterpret_cast<void*>(&symbolize), &self);
  std::map<std::string, std::vector<std::pair<void*, std::uintptr_t>>> by_module;
  for (void* pc : pcs) {
    if (out.count(pc)) continue;
    Dl_info info{};
    void* at = static_cast<char*>(pc) - 1;  // the call instruction, not the return address
    if (!dladdr(at, &info) || !info.dli_fname) {
      out[pc] = {{"??", "??"}};
      continue;
    }
    std::string module = info.dli_fbase == self.dli_fbase ? std::string("/proc/self/exe") : std::string(info.dli_fname);
    by_module[module].push_back({pc, reinterpret_cast<std::uintptr_t>(at) - reinterpret_cast<std::uintptr_t>(info.dli_fbase)});
    const char* base = std::strrchr(info.dli_fname, '/');
    out[pc] = {{info.dli_sname ? demangle(info.dli_sname) : std::string("??"), base ? base + 1 : info.dli_fname}};
  }
  for (auto& [module, list] : by_module) {
    std::string real = module;
    if (module == "/proc/self/exe") {
      char buf[4096];
      ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
      if (n > 0) real.assign(buf, static_cast<std::size_t>(n));
    }
    for (auto& [pc, off] : list) {
      char cmd[8192];
      std::snprintf(cmd, sizeof cmd, "addr2line -C -f -i -e '%s' 0x%" PRIxPTR " 2>/dev/null", real.c_str(), off);
      FILE* p = popen(cmd, "r");
      if (!p) continue;
      char buf[8192];
      std::vector<std::string> lines;
      while (std::fgets(buf, sizeof buf, p)) {
        std::string l(buf);
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
        lines.push_back(l);
      }
      pclose(p);
      std::vector<Place> places;
      for (std::size_t i = 0; i + 1 < lines.size(); i += 2) {  // function, file:line pairs
        if (lines[i] == "??" && lines[i + 1].rfind("??", 0) == 0) continue;
        std::string loc = lines[i + 1];
        if (auto pos = loc.find("/work/main/"); pos != std::string::npos) loc = loc.substr(pos + 11);
        if (auto pos = loc.find(" (discriminator"); pos != std::string::npos) loc.resize(pos);
        places.push_back({lines[i], loc});
      }
      if (!places.empty()) out[pc] = std::move(places);
    }
  }
  return out;
}

std::string shorten(const std::string& fn, std::size_t max = 150) {
  // Drop template arguments and parameter lists beyond the first level: the names get huge.
  std::string out;
  int depth = 0;
  for (char c : fn) {
    if (c == '<' || c == '(') {
      if (depth++ == 0) out += c == '<' ? "<...>" : "(...)";
      continue;
    }
    if (c == '>' || c == ')') {
      if (depth > 0) --depth;
      continue;
    }
    if (depth == 0) out += c;
  }
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out;
}

bool is_counting_frame(const Place& p) {
  return p.loc.find("bench/rpc_bench.cpp") != std::string::npos &&
         (p.fn.find("count") != std::string::npos || p.fn == "malloc" || p.fn == "calloc" || p.fn == "realloc" ||
          p.fn == "aligned_alloc" || p.fn == "posix_memalign" || p.fn.rfind("operator new", 0) == 0 ||
          p.fn.find("counted_new") != std::string::npos || p.fn.find("record") != std::string::npos);
}
bool is_our_code(const Place& p) {
  return p.loc.find("corothrift/") != std::string::npos || p.loc.find("_rpc.hpp") != std::string::npos ||
         p.loc.find("_thrift.hpp") != std::string::npos ||
         (p.loc.find("bench/rpc_bench.cpp") != std::string::npos && !is_counting_frame(p));
}

void print_alloc_stacks(int top, bool full, std::uint64_t calls) {
  std::vector<counting::Stack*> list;
  std::uint64_t total = 0;
  std::map<int, std::uint64_t> by_role;
  for (auto& s : counting::stacks)
    if (s.count) {
      list.push_back(&s);
      total += s.count;
      by_role[s.role] += s.count;
    }
  std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->count > b->count; });
  std::size_t distinct = list.size();
  if (static_cast<int>(list.size()) > top) list.resize(static_cast<std::size_t>(top));
  std::vector<void*> pcs;
  for (auto* s : list)
    for (int i = 0; i < s->depth; ++i) pcs.push_back(s->pc[i]);
  auto names = symbolize(pcs);
  auto per_call = [&](std::uint64_t n) { return calls ? static_cast<double>(n) / static_cast<double>(calls) : 0.0; };
  std::printf("\n== allocations in the measured window(s): %" PRIu64 " in %" PRIu64 " calls = %.3f per call; %zu distinct "
              "stacks (%zu shown), %" PRIu64 " not recorded ==\n",
              total, calls, per_call(total), distinct, list.size(), counting::stacks_dropped.load());
  for (auto& [r, n] : by_role) std::printf("   %-40s %.3f per call\n", counting::role_name(r), per_call(n));
  int rank = 0;
  for (auto* s : list) {
    std::vector<Place> flat;
    for (int i = 0; i < s->depth; ++i)
      for (auto& p : names[s->pc[i]]) flat.push_back(p);
    std::size_t first = 0;
    while (first < flat.size() && is_counting_frame(flat[first])) ++first;
    std::printf("\n#%d  %.3f per call  (%" PRIu64 " allocations, %" PRIu64 " bytes, %s)\n", ++rank, per_call(s->count),
                s->count, s->bytes, counting::role_name(s->role));
    // What allocates: the first two positions past the counting hooks.
    for (std::size_t i = first; i < flat.size() && i < first + 2; ++i)
      std::printf("    allocates: %s  at %s\n", shorten(flat[i].fn).c_str(), flat[i].loc.c_str());
    // Where our code (library, generated code, this bench) is on the stack, innermost first.
    int shown = 0;
    for (std::size_t i = first; i < flat.size() && shown < 4; ++i)
      if (is_our_code(flat[i])) {
        std::printf("    from:      %s  at %s\n", shorten(flat[i].fn).c_str(), flat[i].loc.c_str());
        ++shown;
      }
    if (shown == 0) {  // a completion handler run by Asio: show what dispatched it
      for (std::size_t i = first + 2, k = 0; i < flat.size() && k < 4; ++i, ++k)
        std::printf("    via:       %s  at %s\n", shorten(flat[i].fn).c_str(), flat[i].loc.c_str());
    }
    if (full)
      for (std::size_t i = first; i < flat.size(); ++i)
        std::printf("      | %s  at %s\n", shorten(flat[i].fn, 300).c_str(), flat[i].loc.c_str());
  }
}

// ==== output ================================================================================================
double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Summary {
  double calls_per_s = 0, p50_us = 0, p99_us = 0, p999_us = 0, allocs_per_call = 0, news_per_call = 0, cpu_us_per_call = 0;
  double calls_min = 0, calls_max = 0;  // spread of calls/s over the repetitions
  std::uint64_t errors = 0, reconnects = 0;
  int reps = 0;
  std::string error;
};

Summary summarize(const std::vector<Sample>& v) {
  Summary s;
  auto med = [&](auto field) {
    std::vector<double> x;
    for (auto& r : v) x.push_back(r.*field);
    return median(x);
  };
  s.calls_per_s = med(&Sample::calls_per_s);
  s.p50_us = med(&Sample::p50_us);
  s.p99_us = med(&Sample::p99_us);
  s.p999_us = med(&Sample::p999_us);
  s.allocs_per_call = med(&Sample::allocs_per_call);
  s.news_per_call = med(&Sample::news_per_call);
  s.cpu_us_per_call = med(&Sample::cpu_us_per_call);
  s.reps = static_cast<int>(v.size());
  s.calls_min = v.empty() ? 0 : v.front().calls_per_s;
  s.calls_max = s.calls_min;
  for (auto& r : v) {
    s.calls_min = std::min(s.calls_min, r.calls_per_s);
    s.calls_max = std::max(s.calls_max, r.calls_per_s);
    s.reconnects += r.reconnects;
    s.errors += r.errors;
    if (s.error.empty()) s.error = r.error;
  }
  return s;
}

std::string cpu_model() {
  FILE* f = std::fopen("/proc/cpuinfo", "r");
  if (!f) return "unknown CPU";
  char line[512];
  std::string out = "unknown CPU";
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "model name", 10) == 0) {
      const char* c = std::strchr(line, ':');
      if (c) {
        out = c + 2;
        while (!out.empty() && out.back() == '\n') out.pop_back();
      }
      break;
    }
  }
  std::fclose(f);
  return out;
}

std::string loadavg() {
  FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "?";
  char buf[128] = {};
  if (!std::fgets(buf, sizeof buf, f)) buf[0] = 0;
  std::fclose(f);
  std::string s(buf);
  // the three averages only
  std::size_t cut = 0;
  for (int i = 0; i < 3 && cut != std::string::npos; ++i) cut = s.find(' ', cut + 1);
  return cut == std::string::npos ? s : s.substr(0, cut);
}

/// Share of the machine's CPU time that was busy (not idle / iowait) over `seconds`, from
/// /proc/stat: sampled before the run, while this process is still idle, it tells how
/// quiet the machine was (the load average also counts this benchmark's own threads).
double cpu_busy_percent(double seconds) {
  auto sample = [] {
    std::array<unsigned long long, 10> v{};
    if (FILE* f = std::fopen("/proc/stat", "r")) {
      if (std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                      &v[5], &v[6], &v[7], &v[8], &v[9]) < 4)
        v = {};
      std::fclose(f);
    }
    unsigned long long idle = v[3] + v[4], total = 0;
    for (int i = 0; i < 8; ++i) total += v[static_cast<std::size_t>(i)];  // guest times are inside user/nice
    return std::pair<unsigned long long, unsigned long long>{idle, total};
  };
  auto a = sample();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  auto b = sample();
  double total = static_cast<double>(b.second - a.second);
  return total > 0 ? 100.0 * (1.0 - static_cast<double>(b.first - a.first) / total) : 0.0;
}

std::string fmt_rate(double v) {
  char b[64];
  if (v >= 1e6) std::snprintf(b, sizeof b, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(b, sizeof b, "%.1fk", v / 1e3);
  else std::snprintf(b, sizeof b, "%.0f", v);
  return b;
}
std::string fmt_us(double v) {
  char b[64];
  if (v >= 1000) std::snprintf(b, sizeof b, "%.0f", v);
  else if (v >= 100) std::snprintf(b, sizeof b, "%.0f", v);
  else std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}
std::string fmt_allocs(double v) {
  char b[64];
  std::snprintf(b, sizeof b, v < 10 ? "%.2f" : "%.1f", v);
  return b;
}

struct Key {
  int impl;
  Call call;
  int conc;
  bool operator<(const Key& o) const {
    if (impl != o.impl) return impl < o.impl;
    if (call != o.call) return call < o.call;
    return conc < o.conc;
  }
};

std::string markdown(const Config& cfg, const std::map<Key, Summary>& res, const std::string& header) {
  std::string md = header;
  int ours = -1, apache = -1;
  for (std::size_t i = 0; i < cfg.impls.size(); ++i) {
    if (!cfg.impls[i].apache() && ours < 0) ours = static_cast<int>(i);
    if (cfg.impls[i].apache() && apache < 0) apache = static_cast<int>(i);
  }
  char line[1024];
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  if (ours >= 0 && apache >= 0) {
    md += "\n" + cfg.impls[static_cast<std::size_t>(ours)].label() +
          " (K coroutines on one pipelined connection) vs " + cfg.impls[static_cast<std::size_t>(apache)].label() +
          " (K client threads, one connection and one sync client each); K = outstanding calls:\n\n";
    md += "| call | outstanding | corothrift calls/s | Apache calls/s | ratio | corothrift p50 / p99 µs | Apache p50 / p99 µs "
          "| corothrift allocs/call | Apache allocs/call | corothrift CPU µs/call | Apache CPU µs/call |\n";
    md += "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (Call c : cfg.calls)
      for (int k : cfg.conc) {
        auto a = res.find({ours, c, k}), b = res.find({apache, c, k});
        if (a == res.end() || b == res.end()) continue;
        const Summary &o = a->second, &p = b->second;
        std::snprintf(line, sizeof line, "| %s | %d | %s | %s | %.2fx | %s / %s | %s / %s | %s | %s | %s | %s |\n",
                      name_of(c), k, fmt_rate(o.calls_per_s).c_str(), fmt_rate(p.calls_per_s).c_str(),
                      ratio(o.calls_per_s, p.calls_per_s), fmt_us(o.p50_us).c_str(), fmt_us(o.p99_us).c_str(),
                      fmt_us(p.p50_us).c_str(), fmt_us(p.p99_us).c_str(), fmt_allocs(o.allocs_per_call).c_str(),
                      fmt_allocs(p.allocs_per_call).c_str(), fmt_us(o.cpu_us_per_call).c_str(),
                      fmt_us(p.cpu_us_per_call).c_str());
        md += line;
      }
    // The same against whichever Apache configuration was fastest in that row.
    int n_apache = 0;
    for (auto& impl : cfg.impls) n_apache += impl.apache();
    if (n_apache > 1) {
      md += "\n" + cfg.impls[static_cast<std::size_t>(ours)].label() +
            " vs the fastest Apache configuration measured for each row:\n\n";
      md += "| call | outstanding | corothrift calls/s | fastest Apache | its calls/s | ratio | corothrift p50 / p99 µs | its p50 / p99 µs |\n";
      md += "|---|--:|--:|---|--:|--:|--:|--:|\n";
      for (Call c : cfg.calls)
        for (int k : cfg.conc) {
          auto a = res.find({ours, c, k});
          if (a == res.end()) continue;
          int best = -1;
          for (std::size_t i = 0; i < cfg.impls.size(); ++i) {
            auto b = res.find({static_cast<int>(i), c, k});
            if (!cfg.impls[i].apache() || b == res.end() || b->second.errors) continue;
            if (best < 0 || b->second.calls_per_s > res.at({best, c, k}).calls_per_s) best = static_cast<int>(i);
          }
          if (best < 0) continue;
          const Summary &o = a->second, &p = res.at({best, c, k});
          std::snprintf(line, sizeof line, "| %s | %d | %s | %s | %s | %.2fx | %s / %s | %s / %s |\n", name_of(c), k,
                        fmt_rate(o.calls_per_s).c_str(), cfg.impls[static_cast<std::size_t>(best)].label().c_str(),
                        fmt_rate(p.calls_per_s).c_str(), ratio(o.calls_per_s, p.calls_per_s), fmt_us(o.p50_us).c_str(),
                        fmt_us(o.p99_us).c_str(), fmt_us(p.p50_us).c_str(), fmt_us(p.p99_us).c_str());
          md += line;
        }
    }
  }
  md += "\nEvery configuration measured (calls/s: median, and min–max over the repetitions):\n\n";
  md += "| implementation | call | outstanding | calls/s | min–max | p50 µs | p99 µs | p99.9 µs | allocs/call | operator new/call | CPU µs/call | errors |\n";
  md += "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  std::string notes;
  for (std::size_t i = 0; i < cfg.impls.size(); ++i)
    for (Call c : cfg.calls)
      for (int k : cfg.conc) {
        auto it = res.find({static_cast<int>(i), c, k});
        if (it == res.end()) continue;
        const Summary& s = it->second;
        std::snprintf(line, sizeof line, "| %s | %s | %d | %s | %s–%s | %s | %s | %s | %s | %s | %s | %" PRIu64 " |\n",
                      cfg.impls[i].label().c_str(), name_of(c), k, fmt_rate(s.calls_per_s).c_str(),
                      fmt_rate(s.calls_min).c_str(), fmt_rate(s.calls_max).c_str(), fmt_us(s.p50_us).c_str(),
                      fmt_us(s.p99_us).c_str(), fmt_us(s.p999_us).c_str(), fmt_allocs(s.allocs_per_call).c_str(),
                      fmt_allocs(s.news_per_call).c_str(), fmt_us(s.cpu_us_per_call).c_str(), s.errors);
        md += line;
        if (s.reconnects) {
          std::snprintf(line, sizeof line, "- %s, %s x%d: %" PRIu64 " reconnects (the server dropped the connection after 100 MiB)\n",
                        cfg.impls[i].label().c_str(), name_of(c), k, s.reconnects);
          notes += line;
        }
        if (s.errors && !s.error.empty()) notes += "- " + cfg.impls[i].label() + ", " + name_of(c) + " x" + std::to_string(k) + ": " + s.error + "\n";
      }
  if (!notes.empty()) md += "\nNotes:\n" + notes;
  return md;
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    o += c;
  }
  return o;
}

void write_json(const Config& cfg, const std::map<Key, Summary>& res, const std::string& path, double busy0,
                const std::string& load0, const std::string& load1) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return;
  }
  std::fprintf(f,
               "{\n  \"cpu\": \"%s\",\n  \"cores\": %u,\n  \"cpu_busy_percent_before\": %.1f,\n  \"load_before\": \"%s\",\n"
               "  \"load_after\": \"%s\",\n  \"awake\": %s,\n",
               json_escape(cpu_model()).c_str(), std::thread::hardware_concurrency(), busy0, load0.c_str(), load1.c_str(),
               cfg.awake ? "true" : "false");
  std::fprintf(f, "  \"repetitions\": %d,\n  \"window_s\": %.3f,\n  \"warmup_s\": %.3f,\n  \"results\": [", cfg.reps,
               cfg.seconds, cfg.warmup);
  bool first = true;
  for (auto& [k, s] : res) {
    const Impl& impl = cfg.impls[static_cast<std::size_t>(k.impl)];
    std::fprintf(f,
                 "%s\n    {\"impl\": \"%s\", \"label\": \"%s\", \"call\": \"%s\", \"outstanding\": %d, "
                 "\"calls_per_s\": %.1f, \"p50_us\": %.2f, \"p99_us\": %.2f, \"p999_us\": %.2f, "
                 "\"allocs_per_call\": %.4f, \"operator_new_per_call\": %.4f, \"cpu_us_per_call\": %.3f, "
                 "\"calls_per_s_min\": %.1f, \"calls_per_s_max\": %.1f, \"errors\": %" PRIu64 ", \"reconnects\": %" PRIu64
                 ", \"repetitions\": %d}",
                 first ? "" : ",", impl.spec().c_str(), json_escape(impl.label()).c_str(), name_of(k.call), k.conc,
                 s.calls_per_s, s.p50_us, s.p99_us, s.p999_us, s.allocs_per_call, s.news_per_call, s.cpu_us_per_call,
                 s.calls_min, s.calls_max, s.errors, s.reconnects, s.reps);
    first = false;
  }
  std::fprintf(f, "\n  ]\n}\n");
  std::fclose(f);
}

// ==== --awake: keep idle CPUs from sleeping ===========================================================
// On a VM whose idle vCPUs halt (and take tens of µs to wake up), a ping-pong of one call at
// a time mostly measures wake-up latency, and the result depends on whatever else the
// machine is doing. --awake starts one spinning child process per CPU at SCHED_IDLE
// priority: it runs only when nothing else wants the CPU, so the vCPUs never halt. Child
// processes, not threads: their CPU time is not counted in ours.
std::vector<pid_t> g_spinners;
void start_spinners() {
  unsigned n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      sched_param sp{};
      sched_setscheduler(0, SCHED_IDLE, &sp);
      volatile std::uint64_t spins = 0;
      for (;;) spins = spins + 1;
    }
    if (pid > 0) g_spinners.push_back(pid);
  }
}
void stop_spinners() {
  for (pid_t pid : g_spinners) kill(pid, SIGKILL);
  for (pid_t pid : g_spinners) waitpid(pid, nullptr, 0);
  g_spinners.clear();
}

// ==== command line ===========================================================================================
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool parse_impl(const std::string& s, Impl& out) {
  auto colon = s.find(':');
  std::string name = s.substr(0, colon);
  int param = colon == std::string::npos ? -1 : std::atoi(s.c_str() + colon + 1);
  if (name == "ours") {
    out = {Kind::ours, param < 1 ? 1 : param};
  } else if (name == "apache-nb") {
#if !COROTHRIFT_BENCH_NONBLOCKING
    std::fprintf(stderr, "apache-nb: this binary was built without TNonblockingServer (libthriftnb, libevent-dev)\n");
    return false;
#endif
    out = {Kind::apache_nb, param < 0 ? 4 : param};
  } else if (name == "apache-threaded") {
    out = {Kind::apache_threaded, 0};
  } else {
    return false;
  }
  return true;
}

const char* kUsage =
    "usage: rpc_bench [options]\n"
    "  --reps N            repetitions of each scenario; medians are reported (default 5)\n"
    "  --seconds S         measured window per scenario (default 1.5)\n"
    "  --warmup S          warm-up before the window (default 0.5)\n"
    "  --conc LIST         outstanding calls, e.g. 1,16,256 (default)\n"
    "  --calls LIST        small,blob (default both)\n"
    "  --impls LIST        ours | ours:N (N connections) | apache-nb:W (TNonblockingServer, 1 IO thread,\n"
    "                      W worker threads; 0 = handlers on the IO thread) | apache-threaded (TThreadedServer).\n"
    "                      The first 'ours' and the first Apache entry make the headline table.\n"
    "                      Default: ours,ours:4,apache-nb:4,apache-nb:0,apache-threaded\n"
    "                      (without libthriftnb: ours,ours:4,apache-threaded)\n"
    "  --md FILE           also write the markdown tables to FILE\n"
    "  --json FILE         also write the medians as JSON to FILE\n"
    "  --trace-allocs      record the stack of every allocation in the measured windows and print the\n"
    "                      most frequent (use with one implementation/call/concurrency and --reps 1)\n"
    "  --trace-top N       stacks to print (default 25)\n"
    "  --trace-full        print whole stacks, not only the allocating function and our frames\n"
    "  --smoke             a quick check that everything runs (1 rep, short windows)\n"
    "  --quiet             no per-repetition lines\n"
    "  --max-allocs X      exit with status 1 if a small corothrift call allocated more than X times\n"
    "                      per call (median) in the measured window (a check of the 0-allocation goal)\n"
    "  --awake             keep idle CPUs from halting (one SCHED_IDLE spinning process per CPU);\n"
    "                      changes the one-call-at-a-time figures on VMs where waking a vCPU is slow\n";

bool parse(int argc, char** argv, Config& cfg) {
  std::vector<std::string> impls;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i], v;
    auto eq = a.find('=');
    bool has_eq = eq != std::string::npos;
    if (has_eq) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    auto value = [&]() -> std::string {
      if (has_eq) return v;
      if (i + 1 < argc) return argv[++i];
      std::fprintf(stderr, "%s needs a value\n", a.c_str());
      std::exit(2);
    };
    if (a == "--reps") cfg.reps = std::max(1, std::atoi(value().c_str()));
    else if (a == "--seconds") cfg.seconds = std::atof(value().c_str());
    else if (a == "--warmup") cfg.warmup = std::atof(value().c_str());
    else if (a == "--conc") {
      cfg.conc.clear();
      for (auto& s : split(value())) cfg.conc.push_back(std::max(1, std::atoi(s.c_str())));
    } else if (a == "--calls") {
      cfg.calls.clear();
      for (auto& s : split(value())) {
        if (s == "small") cfg.calls.push_back(Call::small);
        else if (s == "blob" || s == "64k" || s == "64KiB") cfg.calls.push_back(Call::blob);
        else {
          std::fprintf(stderr, "unknown call %s\n", s.c_str());
          return false;
        }
      }
    } else if (a == "--impls") impls = split(value());
    else if (a == "--md") cfg.md_path = value();
    else if (a == "--json") cfg.json_path = value();
    else if (a == "--trace-allocs") cfg.trace = true;
    else if (a == "--trace-top") cfg.trace_top = std::atoi(value().c_str());
    else if (a == "--trace-full") cfg.trace_full = true;
    else if (a == "--quiet") cfg.quiet = true;
    else if (a == "--awake") cfg.awake = true;
    else if (a == "--max-allocs") cfg.max_allocs = std::atof(value().c_str());
    else if (a == "--smoke") {
      cfg.reps = 1;
      cfg.seconds = 0.1;
      cfg.warmup = 0.05;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      std::fprintf(stderr, "unknown option %s\n%s", a.c_str(), kUsage);
      return false;
    }
  }
  if (impls.empty()) {
#if COROTHRIFT_BENCH_NONBLOCKING
    impls = {"ours", "ours:4", "apache-nb:4", "apache-nb:0", "apache-threaded"};
#else
    impls = {"ours", "ours:4", "apache-threaded"};
#endif
  }
  for (auto& s : impls) {
    Impl impl;
    if (!parse_impl(s, impl)) {
      std::fprintf(stderr, "bad implementation '%s'\n%s", s.c_str(), kUsage);
      return false;
    }
    cfg.impls.push_back(impl);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  counting::init();
  signal(SIGPIPE, SIG_IGN);
  Config cfg;
  if (!parse(argc, argv, cfg)) return 2;
  const std::string load0 = loadavg();
  const double busy0 = cpu_busy_percent(1.0);  // how quiet the machine is, before we add anything
  if (cfg.awake) start_spinners();              // before any thread of ours exists (fork)
  if (cfg.trace) {  // load the unwinder now, not in the window
    void* pc[4];
    backtrace(pc, 4);
  }
  // Apache's library logs to stderr on connection errors; keep the output readable.
  // (TNonblockingServer's start/stop chatter is dropped; errors are printed.)
  apache::thrift::GlobalOutput.setOutputFunction([](const char* msg) {
    if (std::strstr(msg, "TNonblocking") == msg || std::strstr(msg, "TNonblockingServer") != nullptr) return;
    std::fprintf(stderr, "thrift: %s\n", msg);
  });
  start_watchdog();

  const std::string blob = make_blob();
  std::printf("rpc_bench: %s, %u cores; before the run: CPU %.0f%% busy (1 s sample), load average %s\n",
              cpu_model().c_str(), std::thread::hardware_concurrency(), busy0, load0.c_str());
  std::printf("%d repetition(s) of %.2f s windows after %.2f s warm-up; medians reported\n", cfg.reps, cfg.seconds,
              cfg.warmup);
  if (!COROTHRIFT_BENCH_COUNT_ALLOCS) std::printf("allocation counting is off in this (sanitizer) build\n");
  std::fflush(stdout);

  std::map<Key, std::vector<Sample>> samples;
  std::uint64_t traced_calls = 0;
  int failures = 0;
  for (int rep = 0; rep < cfg.reps; ++rep)
    for (Call call : cfg.calls)
      for (int k : cfg.conc)
        for (std::size_t i = 0; i < cfg.impls.size(); ++i) {
          const Impl& impl = cfg.impls[i];
          Sample s;
          try {
            s = impl.kind == Kind::ours ? run_ours(cfg, call, k, impl.param, blob) : run_apache(cfg, impl, call, k, blob);
          } catch (const std::exception& e) {
            s.errors = 1;
            s.error = e.what();
          }
          if (s.errors) ++failures;
          traced_calls += s.calls;
          if (!cfg.quiet) {
            std::printf("rep %d  %-36s %-5s x%-4d %10.0f calls/s  p50 %8.1f us  p99 %8.1f us  %6.2f allocs/call  "
                        "%6.2f CPU us/call%s%s\n",
                        rep + 1, impl.label().c_str(), name_of(call), k, s.calls_per_s, s.p50_us, s.p99_us,
                        s.allocs_per_call, s.cpu_us_per_call, s.errors ? "  ERRORS: " : "", s.error.c_str());
            std::fflush(stdout);
          }
          samples[{static_cast<int>(i), call, k}].push_back(std::move(s));
        }
  const std::string load1 = loadavg();
  stop_spinners();

  std::map<Key, Summary> res;
  for (auto& [k, v] : samples) res[k] = summarize(v);
  char header[2048];
  std::snprintf(header, sizeof header,
                "RPC over loopback TCP, framed binary protocol, server and client in one process. %s, %u cores; "
                "before the run the machine's CPU was %.0f%% busy (1 s sample) and the load average %s (%s after: "
                "that one counts this benchmark's own threads). "
                "Medians of %d repetitions of a %.1f s window after %.1f s warm-up, repetitions interleaved%s. "
                "allocs/call = every heap allocation in the process (client + server: malloc, operator new, "
                "aligned_alloc, ...) in the window / calls completed in it.\n",
                cpu_model().c_str(), std::thread::hardware_concurrency(), busy0, load0.c_str(), load1.c_str(), cfg.reps,
                cfg.seconds, cfg.warmup, cfg.awake ? "; idle CPUs kept awake (--awake)" : "");
  std::string md = markdown(cfg, res, header);
  std::printf("\n%s", md.c_str());
  if (!cfg.md_path.empty()) {
    if (FILE* f = std::fopen(cfg.md_path.c_str(), "w")) {
      std::fputs(md.c_str(), f);
      std::fclose(f);
    }
  }
  if (!cfg.json_path.empty()) write_json(cfg, res, cfg.json_path, busy0, load0, load1);
  if (cfg.trace) print_alloc_stacks(cfg.trace_top, cfg.trace_full, traced_calls);
  std::fflush(stdout);
  if (cfg.max_allocs >= 0 && COROTHRIFT_BENCH_COUNT_ALLOCS) {
    for (auto& [k, r] : res) {
      if (cfg.impls[static_cast<std::size_t>(k.impl)].kind != Kind::ours || k.call != Call::small) continue;
      if (r.allocs_per_call > cfg.max_allocs) {
        std::fprintf(stderr, "rpc_bench: %s small x%d: %.3f heap allocations per call (more than %.3f)\n",
                     cfg.impls[static_cast<std::size_t>(k.impl)].label().c_str(), k.conc, r.allocs_per_call,
                     cfg.max_allocs);
        ++failures;
      } else {
        std::printf("%s small x%d: %.3f heap allocations per call (limit %.3f): OK\n",
                    cfg.impls[static_cast<std::size_t>(k.impl)].label().c_str(), k.conc, r.allocs_per_call,
                    cfg.max_allocs);
      }
    }
  }
  if (failures) {
    std::fprintf(stderr, "rpc_bench: %d scenario run(s) had errors\n", failures);
    return 1;
  }
  return 0;
}
