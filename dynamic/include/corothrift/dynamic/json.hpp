// corothrift/dynamic/json.hpp — dynamic values to and from JSON (nlohmann::json), and the
// schema-less view of any binary-protocol struct or message. For tools (the corothrift CLI);
// the codec itself (codec.hpp) needs no JSON library.
//
// The JSON form of a value of a known type:
//   struct/union/exception  object of the fields that are set, by name (and null for an
//                            optional field with a default that is unset)
//   bool, integers, double   JSON true/false, numbers ("NaN", "Infinity", "-Infinity" strings;
//                            a NaN's sign and payload bits are not kept)
//   string                   JSON string (bytes that are not UTF-8: {"base64": "..."})
//   binary                   base64 string
//   uuid                     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
//   enum                     its name ("RED"), or its number when the value has no name
//   list, set                array
//   map                      object when keys are strings, enums, integers or bools (keys as
//                            strings), else an array of [key, value] pairs
// from_json accepts the same, and also numbers for enums and strings of digits for i64.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "corothrift/dynamic/schema.hpp"
#include "corothrift/dynamic/value.hpp"
#include "corothrift/protocol/binary_reader.hpp"

namespace corothrift::dynamic {

using Json = nlohmann::ordered_json;

/// A JSON document that does not fit the schema. what() is "<path>: <problem>", the path
/// in JSONPath form: "$.people[2].age: expected an integer (i32), got a string".
class JsonError : public std::runtime_error {
 public:
  JsonError(std::string path, const std::string& problem)
      : std::runtime_error(path + ": " + problem), path_(std::move(path)) {}
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

Json to_json(const StructPlan& p, const Value& v);
Json to_json(const TypeNode& t, const Value& v);
/// Throws JsonError. Fields the document leaves out keep their initial value (their
/// default); a required field left out is an error; `null` unsets a field.
Value from_json(const StructPlan& p, const Json& j);
Value from_json(const TypeNode& t, const Json& j);

/// Schema-less: the raw structure of the struct at the reader's position, as an array of
/// {"id": 1, "type": "i32", "value": 42}; a list/set value is {"elem": T, "values": [...]},
/// a map {"key": K, "value": V, "entries": [[k, v], ...]}, a nested struct an array of fields
/// again; strings as in to_json (UTF-8 text or {"base64": ...}). Errors stay in `r`
/// (what was read until then is returned).
Json raw_struct(BinaryReader& r);
Json raw_value(BinaryReader& r, TType t);

/// Base64 (standard alphabet, with padding).
std::string base64_encode(std::string_view bytes);
/// Standard or URL-safe alphabet, padding optional; false on anything else.
bool base64_decode(std::string_view text, std::string& out);
/// "xxxxxxxx-xxxx-..." for 16 bytes.
std::string uuid_text(std::string_view bytes16);
bool is_utf8(std::string_view s) noexcept;

}  // namespace corothrift::dynamic
