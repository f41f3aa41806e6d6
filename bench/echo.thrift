// The RPC benchmark's service (bench/rpc_bench.cpp). corothrift-gen --rpc compiles it for
// corothrift (namespace echo) and `thrift --gen cpp` for Apache Thrift (namespace
// echo_apache); @NAMESPACE@ is filled in by bench/meson.build.

namespace cpp @NAMESPACE@

service Echo {
  // The small call: a few bytes each way (an i64 and a short string in, an i64 back).
  i64 echo_small(1: i64 id, 2: string tag),
  // The big call: 64 KiB in, the same 64 KiB back.
  binary echo_blob(1: binary data),
}
