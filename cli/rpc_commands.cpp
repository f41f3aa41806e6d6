// `corothrift call` and `corothrift bench`: runtime-typed calls on corothrift's coroutine
// client (ClientConnection::call_raw with dynamic::Bound arguments and results).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "common.hpp"
#include "corothrift/dynamic/codec.hpp"
#include "corothrift/dynamic/json.hpp"
#include "corothrift/rpc.hpp"

namespace corothrift::cli {

using dynamic::Json;
using Clock = std::chrono::steady_clock;

namespace {

struct Prepared {
  LoadedIdl loaded;
  const dynamic::FunctionPlan* fn = nullptr;
  dynamic::Value args;
  Endpoint where;
  ClientOptions options;
  std::string transport_name;
};

Prepared prepare(const ConnArgs& a) {
  if (a.framed && a.buffered) throw Failure(usage, "--framed and --buffered exclude each other");
  Prepared p;
  p.loaded = load_idl(a.idl, a.include_dirs);
  try {
    p.fn = &p.loaded.plans->function(a.method);
  } catch (const dynamic::SchemaError& e) {
    throw Failure(usage, e.what());
  }
  Json j;
  try {
    j = Json::parse(a.json);
  } catch (const Json::exception& e) {
    throw Failure(bad_data, std::string("the arguments JSON does not parse: ") + e.what());
  }
  try {
    p.args = dynamic::from_json(*p.fn->args, j);
  } catch (const dynamic::JsonError& e) {
    throw Failure(bad_data, std::string("arguments of ") + a.method + ": " + e.what());
  }
  if (dynamic::Status st = dynamic::check(*p.fn->args, p.args)) throw Failure(bad_data, st.message);
  Target t = parse_target(a.target);
  p.where = t.local_path.empty() ? Endpoint(t.host, t.port) : Endpoint::local(t.local_path);
  if (a.timeout_ms < 0) throw Failure(usage, "--timeout must be 0 (none) or a positive number of milliseconds");
  if (a.connect_timeout_ms <= 0) throw Failure(usage, "--connect-timeout must be a positive number of milliseconds");
  p.options.transport = a.buffered ? Transport::buffered : Transport::framed;
  p.transport_name = a.buffered ? "buffered" : "framed";
  p.options.multiplexed = a.multiplexed;
  p.options.call_timeout = std::chrono::milliseconds(a.timeout_ms);
  p.options.connect_timeout = std::chrono::milliseconds(a.connect_timeout_ms);
  return p;
}

/// Run `io` until its work is done; a connection failure thrown by the coroutines becomes
/// Failure(rpc_error) (anything else propagates as it is).
void run_to_end(asio::io_context& io, const std::exception_ptr& failure) {
  io.run();
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const RpcError& e) {
    throw Failure(rpc_error, e.what());
  }
}

std::string application_text(const ApplicationError& e) {
  return std::string("TApplicationException ") + to_string(e.type) + ": " + e.message;
}

}  // namespace

// ---- call ----------------------------------------------------------------------------------

int run_call(const ConnArgs& a) {
  Prepared p = prepare(a);
  const dynamic::FunctionPlan& fn = *p.fn;
  dynamic::Value result = fn.result->make();
  CallStatus status;
  std::exception_ptr failure;
  asio::io_context io;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto conn = co_await connect_raw(io.get_executor(), p.where, p.options);
        dynamic::Bound in{fn.args, &p.args};
        dynamic::Bound out{fn.result, &result};
        status = co_await conn->call_raw(fn.name, fn.oneway, in, out, p.options.call_timeout);
        conn->close();
      },
      [&](std::exception_ptr e) { failure = e; });
  run_to_end(io, failure);
  if (status.application) throw Failure(rpc_error, a.method + " at " + a.target + ": " + application_text(*status.application));
  if (!status) throw Failure(rpc_error, a.method + " at " + a.target + ": " + status.message);
  if (fn.oneway) return ok;
  for (std::size_t k = 0; k < fn.result->fields.size(); ++k) {
    const dynamic::FieldPlan& f = fn.result->fields[k];
    if (!result.items[k].is_set()) continue;
    if (f.id == 0 && f.name == "success") {
      std::cout << dynamic::to_json(*f.type, result.items[k]).dump(a.compact ? -1 : 2) << "\n";
      return ok;
    }
    Json e = Json::object();
    e[f.name] = dynamic::to_json(*f.type, result.items[k]);
    std::cout << e.dump(a.compact ? -1 : 2) << "\n";
    std::cerr << "corothrift call: " << a.method << " raised " << f.type->name << " (exception field '" << f.name << "')\n";
    return declared_exception;
  }
  if (!fn.result->fields.empty() && fn.result->fields.front().id == 0 && fn.result->fields.front().name == "success")
    throw Failure(rpc_error, a.method + ": the reply holds no result (missing_result)");
  std::cout << "null\n";  // void
  return ok;
}

// ---- bench ---------------------------------------------------------------------------------

namespace {

/// Latencies in nanoseconds, 64 linear sub-buckets per power of two (about 1.6% precision).
class Histogram {
 public:
  Histogram() : counts_(64 * 64, 0) {}
  void add(std::uint64_t ns) {
    ++counts_[index(ns)];
    ++n_;
    sum_ += static_cast<double>(ns);
    min_ = std::min(min_, ns);
    max_ = std::max(max_, ns);
  }
  std::uint64_t count() const { return n_; }
  std::uint64_t min() const { return n_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return n_ ? sum_ / static_cast<double>(n_) : 0; }
  /// The latency below which a fraction q of the calls fall (upper edge of its bucket).
  std::uint64_t quantile(double q) const {
    if (!n_) return 0;
    std::uint64_t rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n_)));
    if (rank == 0) rank = 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper(i), max_);
    }
    return max_;
  }
  /// Counts between successive powers of two (for the ASCII histogram).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> octaves() const {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (std::size_t e = 0; e < 64; ++e) {
      std::uint64_t c = 0;
      for (std::size_t s = 0; s < 64; ++s) c += counts_[e * 64 + s];
      out.push_back({upper(e * 64 + 63), c});
    }
    return out;
  }

 private:
  static std::size_t index(std::uint64_t v) {
    if (v < 64) return static_cast<std::size_t>(v);
    int e = 63 - std::countl_zero(v);  // >= 6
    std::size_t sub = static_cast<std::size_t>((v >> (e - 6)) & 63);
    return static_cast<std::size_t>(e - 5) * 64 + sub;
  }
  static std::uint64_t upper(std::size_t i) {
    if (i < 64) return i;
    std::size_t e = i / 64 + 5, sub = i % 64;
    return ((std::uint64_t{64} + sub + 1) << (e - 6)) - 1;
  }
  std::vector<std::uint64_t> counts_;
  std::uint64_t n_ = 0;
  double sum_ = 0;
  std::uint64_t min_ = UINT64_MAX, max_ = 0;
};

std::string human_ns(std::uint64_t ns) {
  char buf[32];
  if (ns < 1000) std::snprintf(buf, sizeof buf, "%llu ns", static_cast<unsigned long long>(ns));
  else if (ns < 1000000) std::snprintf(buf, sizeof buf, "%.1f us", static_cast<double>(ns) / 1e3);
  else if (ns < 1000000000) std::snprintf(buf, sizeof buf, "%.2f ms", static_cast<double>(ns) / 1e6);
  else std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(ns) / 1e9);
  return buf;
}

std::string grouped(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

struct BenchState {
  BenchState(const BenchArgs& args, Prepared& prepared) : a(args), p(prepared) {}
  const BenchArgs& a;
  Prepared& p;
  Clock::time_point start, measure_from, deadline;
  std::uint64_t tickets = 0;    // calls started (all, warm-up included)
  std::uint64_t measured_tickets = 0;  // calls started after the warm-up (what -n counts)
  std::string early_end;        // why connections ended before the run did (first one)
  std::uint64_t ended_early = 0;
  std::uint64_t counted = 0;    // calls finished in the measured window
  std::uint64_t failed = 0;     // of those, failures (any kind)
  std::uint64_t declared = 0;   // of those, declared exceptions
  std::uint64_t last_progress = 0;
  std::map<std::string, std::uint64_t> errors;
  Histogram hist;
  bool stopping = false;
  bool interrupted = false;
  std::vector<asio::steady_timer*> pacers;  // the workers' pacing timers (cancelled on Ctrl-C)
  Clock::time_point finished;

  /// The due time of call `ticket` when paced.
  Clock::time_point due(std::uint64_t ticket) const {
    return start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(static_cast<double>(ticket) / a.rps));
  }
  bool take_ticket(std::uint64_t& ticket) {
    if (stopping) return false;
    Clock::time_point now = a.rps > 0 ? due(tickets) : Clock::now();  // paced: when this call would go
    const bool warm = now < measure_from;
    if (!warm && a.requests > 0 && measured_tickets >= static_cast<std::uint64_t>(a.requests)) return false;
    if (a.requests == 0 && now >= deadline) return false;
    if (!warm) ++measured_tickets;
    ticket = tickets++;
    return true;
  }
};

asio::awaitable<void> worker(BenchState& st, std::shared_ptr<ClientConnection> conn) {
  const dynamic::FunctionPlan& fn = *st.p.fn;
  dynamic::Value result = fn.result->make();
  dynamic::Bound in{fn.args, &st.p.args};
  dynamic::Bound out{fn.result, &result};
  asio::steady_timer pace(co_await asio::this_coro::executor);
  st.pacers.push_back(&pace);
  struct Unlist {
    BenchState& st;
    asio::steady_timer* t;
    ~Unlist() { std::erase(st.pacers, t); }
  } unlist{st, &pace};
  const bool paced = st.a.rps > 0;
  std::uint64_t ticket = 0;
  while (conn->is_open() && st.take_ticket(ticket)) {
    Clock::time_point begin = Clock::now();
    if (paced) {
      // Open loop: call i is due at start + i / rps, and its latency counts from then (a
      // slow server cannot hide its queueing by slowing the client down).
      begin = st.due(ticket);
      if (begin > Clock::now()) {
        pace.expires_at(begin);
        std::error_code ec;
        co_await pace.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (st.stopping) break;  // interrupted while waiting
      }
    }
    CallStatus status = co_await conn->call_raw(fn.name, fn.oneway, in, out, st.p.options.call_timeout);
    Clock::time_point end = Clock::now();
    if (st.stopping && !status) break;  // a call cut off by Ctrl-C is not a server error
    if (begin < st.measure_from) continue;  // warm-up
    ++st.counted;
    st.hist.add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - begin).count()));
    if (status.application) {
      ++st.failed;
      ++st.errors[std::string("TApplicationException ") + to_string(status.application->type)];
    } else if (!status) {
      ++st.failed;
      ++st.errors[status.code.message()];
    } else if (!fn.oneway) {
      for (std::size_t k = 0; k < fn.result->fields.size(); ++k)
        if (result.items[k].is_set() && !(fn.result->fields[k].id == 0 && fn.result->fields[k].name == "success")) {
          ++st.declared;
          ++st.errors["declared exception " + fn.result->fields[k].type->name];
        }
    }
  }
}

}  // namespace

int run_bench(const BenchArgs& a) {
  if (a.connections < 1 || a.connections > 100000 || a.concurrency < 1 || a.concurrency > 1000000)
    throw Failure(usage, "--connections must be 1 to 100,000 and --concurrency 1 to 1,000,000");
  if (a.requests < 0) throw Failure(usage, "-n must be at least 1");
  if (!(a.duration > 0)) throw Failure(usage, "--duration must be a positive number of seconds");
  if (!(a.rps >= 0) || a.rps > 1e9) throw Failure(usage, "--rps must be a number of calls per second from 0 (unpaced) to 1e9");
  if (!(a.warmup >= 0)) throw Failure(usage, "--warmup must be a number of seconds, 0 or more");
  if (!a.json_out.empty()) {  // find out now, not after the run, that the file cannot be written
    std::ofstream probe(a.json_out, std::ios::app);
    if (!probe) throw Failure(io_error, "cannot write " + a.json_out + ": " + std::strerror(errno));
  }
  Prepared p = prepare(a);
  if (static_cast<std::size_t>(a.concurrency) > p.options.max_in_flight)
    p.options.max_in_flight = static_cast<std::size_t>(a.concurrency);
  BenchState st(a, p);
  asio::io_context io(1);
  std::vector<std::shared_ptr<ClientConnection>> conns;
  std::exception_ptr failure;
  const bool tty = isatty(STDERR_FILENO);

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int c = 0; c < a.connections; ++c) conns.push_back(co_await connect_raw(io.get_executor(), p.where, p.options));
        st.start = Clock::now();
        st.measure_from = st.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.warmup));
        st.deadline = st.measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.duration));
        if (a.requests > 0) st.deadline = Clock::time_point::max();
        int running = a.connections * a.concurrency;
        asio::steady_timer tick(io);  // progress, once a second, until the workers are done
        // Ctrl-C (or SIGTERM): stop starting calls, wait up to a second for those in flight,
        // then report what was measured.
        asio::signal_set signals(io, SIGINT, SIGTERM);
        asio::steady_timer grace(io);
        signals.async_wait([&](std::error_code ec, int) {
          if (ec) return;
          st.stopping = true;
          st.interrupted = true;
          for (auto& w : st.pacers) w->cancel();
          grace.expires_after(std::chrono::seconds(1));
          grace.async_wait([&](std::error_code e) {
            if (!e)
              for (auto& conn : conns) conn->close();
          });
        });
        for (auto& conn : conns)
          for (int k = 0; k < a.concurrency; ++k)
            asio::co_spawn(io, worker(st, conn), [&](std::exception_ptr e) {
              if (e && !failure) failure = e;
              if (--running == 0) {
                st.finished = Clock::now();
                tick.cancel();
              }
            });
        Clock::time_point next = st.start;
        std::uint64_t before = 0;
        while (running > 0) {
          next += std::chrono::seconds(1);
          tick.expires_at(next);
          std::error_code ec;
          co_await (tick.async_wait(asio::redirect_error(asio::use_awaitable, ec)));
          if (running == 0) break;
          if (!a.quiet) {
            double t = std::chrono::duration<double>(Clock::now() - st.start).count();
            std::fprintf(stderr, "%s[%6.1f s] %s calls, %s/s, %s errors%s", tty ? "\r" : "", t,
                         grouped(st.tickets).c_str(), grouped(st.tickets - before).c_str(), grouped(st.failed).c_str(),
                         t < a.warmup ? " (warming up)" : "");
            std::fprintf(stderr, tty ? "   " : "\n");
            std::fflush(stderr);
          }
          before = st.tickets;
        }
        signals.cancel();
        grace.cancel();
        if (!a.quiet && tty) std::fprintf(stderr, "\n");
        for (auto& conn : conns)
          if (!conn->is_open()) {  // closed by the server (its connection limit, a crash...)
            ++st.ended_early;
            if (st.early_end.empty()) st.early_end = conn->close_reason();
          }
        for (auto& conn : conns) conn->close();
      },
      [&](std::exception_ptr e) {
        if (e && !failure) failure = e;
      });
  run_to_end(io, failure);
  double secs = std::chrono::duration<double>(st.finished - std::max(st.measure_from, st.start)).count();
  // A timed run that ended as planned covers its whole duration (paced calls may all be
  // done before the end of it).
  if (a.requests == 0 && !st.interrupted && !st.ended_early)
    secs = std::chrono::duration<double>(std::max(st.finished, st.deadline) - st.measure_from).count();
  if (secs < 0) secs = 0;
  double rate = secs > 0 ? static_cast<double>(st.counted) / secs : 0;
  const Histogram& h = st.hist;
  std::printf("target      %s (%s%s), %s\n", a.target.c_str(), p.transport_name.c_str(),
              a.multiplexed.empty() ? "" : (", multiplexed " + a.multiplexed).c_str(), a.method.c_str());
  char paced[64] = "";
  if (a.rps > 0) std::snprintf(paced, sizeof paced, ", paced at %g calls/s", a.rps);
  std::printf("load        %d connection%s x %d in flight%s%s\n", a.connections, a.connections == 1 ? "" : "s",
              a.concurrency, paced, a.warmup > 0 ? (", after " + std::to_string(a.warmup).substr(0, 5) + " s of warm-up").c_str() : "");
  std::printf("calls       %s in %.2f s: %s calls/s%s\n", grouped(st.counted).c_str(), secs,
              grouped(static_cast<std::uint64_t>(rate)).c_str(), st.interrupted ? "  (interrupted)" : "");
  if (st.ended_early)
    std::printf("connections %s of %d closed by the server before the end: %s\n", grouped(st.ended_early).c_str(),
                a.connections, st.early_end.c_str());
  std::printf("errors      %s", grouped(st.failed).c_str());
  if (st.declared) std::printf(" (and %s declared exceptions)", grouped(st.declared).c_str());
  std::printf("\n");
  for (const auto& [kind, n] : st.errors) std::printf("            %10s  %s\n", grouped(n).c_str(), kind.c_str());
  std::printf("latency     min %s, mean %s, max %s\n", human_ns(h.min()).c_str(),
              human_ns(static_cast<std::uint64_t>(h.mean())).c_str(), human_ns(h.max()).c_str());
  std::printf("            p50 %s, p90 %s, p99 %s, p99.9 %s\n", human_ns(h.quantile(0.5)).c_str(),
              human_ns(h.quantile(0.9)).c_str(), human_ns(h.quantile(0.99)).c_str(), human_ns(h.quantile(0.999)).c_str());
  if (h.count()) {
    std::printf("histogram   (calls by latency)\n");
    auto oct = h.octaves();
    std::uint64_t peak = 0;
    for (auto& [u, c] : oct) peak = std::max(peak, c);
    bool started = false;
    std::uint64_t lower = 0;
    for (std::size_t i = 0; i < oct.size(); ++i) {
      auto [u, c] = oct[i];
      if (c) started = true;
      if (started && c) {
        int bar = static_cast<int>(std::lround(40.0 * static_cast<double>(c) / static_cast<double>(peak)));
        std::printf("  %9s - %-9s %10s  %s\n", human_ns(lower).c_str(), human_ns(u).c_str(), grouped(c).c_str(),
                    std::string(static_cast<std::size_t>(std::max(bar, 1)), '#').c_str());
      }
      lower = u + 1;
    }
  }
  if (!a.json_out.empty()) {
    Json j = Json::object();
    j["target"] = a.target;
    j["method"] = a.method;
    j["transport"] = p.transport_name;
    j["connections"] = a.connections;
    j["concurrency"] = a.concurrency;
    j["rps_target"] = a.rps;
    j["calls"] = st.counted;
    j["seconds"] = secs;
    j["calls_per_second"] = rate;
    j["errors"] = st.failed;
    j["interrupted"] = st.interrupted;
    j["connections_closed_early"] = st.ended_early;
    j["declared_exceptions"] = st.declared;
    Json kinds = Json::object();
    for (const auto& [kind, n] : st.errors) kinds[kind] = n;
    j["errors_by_kind"] = kinds;
    Json lat = Json::object();
    lat["min_ns"] = h.min();
    lat["mean_ns"] = h.mean();
    lat["p50_ns"] = h.quantile(0.5);
    lat["p90_ns"] = h.quantile(0.9);
    lat["p99_ns"] = h.quantile(0.99);
    lat["p999_ns"] = h.quantile(0.999);
    lat["max_ns"] = h.max();
    j["latency"] = lat;
    write_output(a.json_out, j.dump(2) + "\n");
  }
  return st.failed || st.ended_early ? rpc_error : ok;
}

}  // namespace corothrift::cli
