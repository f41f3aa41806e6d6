// corothrift/protocol/limits.hpp — reader limits and options, all with safe defaults.
#pragma once

#include <cstddef>
#include <cstdint>

namespace corothrift {

/// Limits applied while decoding untrusted bytes. Every one is checked before anything is
/// allocated; a declared size must also fit in the bytes that remain.
struct ReaderLimits {
  /// Longest string or binary, in bytes.
  std::int32_t max_string_size = 16 * 1024 * 1024;
  /// Most elements in one list or set, or pairs in one map.
  std::int32_t max_container_size = 1'000'000;
  /// Deepest nesting of structs (and, while skipping, of containers). 64 like Apache's
  /// recursion limit; the outermost struct counts as 1.
  int max_depth = 64;
  /// Largest input a reader accepts, in bytes (Apache's default max message size).
  std::size_t max_message_size = 100 * 1024 * 1024;
  /// Most memory one decode may ask for, in bytes: each container charges its element
  /// count times the in-memory element size, each copied string its length, before they
  /// allocate. Bounds the amplification of small wire values into large C++ objects
  /// (an empty struct is 1 byte on the wire and may be hundreds of bytes in memory).
  std::size_t max_decoded_size = 256 * 1024 * 1024;
};

/// Options of a BinaryReader.
struct ReaderOptions {
  ReaderLimits limits{};
  /// Reject message headers without a version word (old, non-strict encoding).
  /// Off by default, like Apache's TBinaryProtocol strict_read.
  bool strict_read = false;
};

/// Options of a BinaryWriter.
struct WriterOptions {
  /// Write message headers with the version word (strict encoding).
  /// On by default, like Apache's TBinaryProtocol strict_write.
  bool strict_write = true;
};

}  // namespace corothrift
