// `corothrift decode` and `corothrift encode`.
#include <algorithm>
#include <cstring>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "corothrift/dynamic/codec.hpp"
#include "corothrift/dynamic/json.hpp"
#include "corothrift/protocol/binary_reader.hpp"
#include "corothrift/protocol/binary_writer.hpp"
#include "corothrift/transport/frame.hpp"

namespace corothrift::cli {

using dynamic::Json;

namespace {

const char* message_type_name(MessageType t) {
  switch (t) {
    case MessageType::Call: return "call";
    case MessageType::Reply: return "reply";
    case MessageType::Exception: return "exception";
    case MessageType::Oneway: return "oneway";
  }
  return "?";
}

const char* app_error_name(std::int64_t t) {
  static const char* names[] = {"unknown", "unknown_method", "invalid_message_type", "wrong_method_name",
                                "bad_sequence_id", "missing_result", "internal_error", "protocol_error",
                                "invalid_transform", "invalid_protocol", "unsupported_client_type"};
  return t >= 0 && t <= 10 ? names[t] : nullptr;
}

/// "size_limit at byte 12 of the input: string length (value 100)". `size`: the bytes of
/// the unit that was read (its offsets count from `base`).
std::string where(const Error& e, std::size_t base, std::size_t size, const std::string& input) {
  std::string s = std::string(to_string(e.kind)) + " at byte " + std::to_string(base + e.offset) + " of " +
                  (input.empty() || input == "-" ? std::string("the input") : input) + ": " + e.what;
  if (e.kind == ErrorKind::unexpected_end) {
    // A read past the end records the bytes that remained; a declared size (string length,
    // container count) larger than what remains records that size.
    std::size_t left = size > e.offset ? size - e.offset : 0;
    if (e.value >= 0 && static_cast<std::size_t>(e.value) == left)
      s += " (the input ends: " + std::to_string(left) + " bytes left)";
    else
      s += " (declared size " + std::to_string(e.value) + " does not fit: the input ends at byte " +
           std::to_string(base + size) + ")";
  } else if (e.value) {
    s += " (value " + std::to_string(e.value) + ")";
  }
  return s;
}

struct Decoder {
  const DecodeArgs& a;
  const dynamic::DynamicSchema* plans = nullptr;
  std::size_t count = 0;

  void print(const Json& j) {
    std::cout << (a.compact ? j.dump(-1) : j.dump(2)) << "\n";
    ++count;
  }

  /// One unit (a struct, or a message) at the start of `bytes`; returns the bytes used.
  std::size_t one(std::span<const std::byte> bytes, std::size_t base, bool whole) {
    BinaryReader r(bytes);
    Json out;
    if (a.message) {
      MessageHeader h = r.read_message_begin();
      if (!r.ok()) throw Failure(bad_data, where(r.error(), base, bytes.size(), a.input));
      out = Json::object();
      out["method"] = std::string(h.name);
      out["type"] = message_type_name(h.type);
      out["seqid"] = h.seqid;
      std::string_view name = h.name;
      const dynamic::FunctionPlan* fn = nullptr;
      if (plans && h.type != MessageType::Exception) {
        std::string svc = a.service;
        if (auto colon = name.find(':'); colon != std::string_view::npos) {  // multiplexed
          if (svc.empty()) svc = std::string(name.substr(0, colon));
          name = name.substr(colon + 1);
        }
        if (!svc.empty()) {
          const dynamic::ServicePlan* sp = plans->find_service(svc);
          if (!sp && !a.service.empty()) throw Failure(usage, "the IDL has no service '" + svc + "'");
          if (!sp)
            throw Failure(bad_data, "message at byte " + std::to_string(base) + " names service '" + svc +
                                        "' (multiplexed), which the IDL does not have");
          fn = sp->find(name);
        } else {
          fn = plans->find_function_any(name);
        }
        if (!fn)
          throw Failure(bad_data, "message at byte " + std::to_string(base) + " calls method '" + std::string(name) +
                                      "', which the IDL" + (svc.empty() ? "" : " (service " + svc + ")") + " does not have");
      }
      if (h.type == MessageType::Exception) {
        // TApplicationException: 1: string message, 2: i32 type
        Json body = dynamic::raw_struct(r);
        Json app = Json::object();
        bool known = r.ok();
        for (const Json& f : body) {
          if (f["id"] == 1 && f["type"] == "string") app["message"] = f["value"];
          else if (f["id"] == 2 && f["type"] == "i32") {
            const char* n = app_error_name(f["value"].get<std::int64_t>());
            app["type"] = n ? Json(n) : f["value"];
          } else known = false;
        }
        out["exception"] = known ? app : body;
      } else if (fn) {
        const dynamic::StructPlan& plan = h.type == MessageType::Reply ? *fn->result : *fn->args;
        dynamic::Value v;
        dynamic::read(r, plan, v);
        if (r.ok()) out[h.type == MessageType::Reply ? "result" : "args"] = dynamic::to_json(plan, v);
      } else {
        out["body"] = dynamic::raw_struct(r);
      }
    } else if (plans) {
      const dynamic::StructPlan& plan = plans->struct_plan(a.type);
      dynamic::Value v;
      dynamic::read(r, plan, v);
      if (r.ok()) out = dynamic::to_json(plan, v);
    } else {
      out = dynamic::raw_struct(r);
    }
    if (r.ok() && whole && r.remaining() != 0)
      r.fail(ErrorKind::trailing_data, a.message ? "bytes after the message" : "bytes after the struct",
             static_cast<std::int64_t>(r.remaining()));
    if (!r.ok()) throw Failure(bad_data, where(r.error(), base, bytes.size(), a.input));
    print(out);
    return r.offset();
  }
};

}  // namespace

int run_decode(const DecodeArgs& a) {
  if (!a.type.empty() && a.idl.empty()) throw Failure(usage, "--type needs --idl");
  if (!a.type.empty() && a.message) throw Failure(usage, "--type and --message exclude each other");
  if (!a.service.empty() && !a.message) throw Failure(usage, "--service goes with --message");
  if (!a.idl.empty() && a.type.empty() && !a.message)
    throw Failure(usage, "with --idl, give --type NAME (one struct) or --message (messages); without --idl, decode shows the raw structure");
  LoadedIdl loaded;
  if (!a.idl.empty()) loaded = load_idl(a.idl, a.include_dirs);
  Decoder d{a, loaded.plans.get()};
  if (d.plans && !a.type.empty()) {  // unknown type: usage error up front
    try {
      (void)d.plans->struct_plan(a.type);
    } catch (const dynamic::SchemaError& e) {
      throw Failure(usage, e.what());
    }
  }
  std::string in = read_input(a.input);
  if (a.hex) in = from_hex(in);
  auto bytes = std::as_bytes(std::span<const char>(in.data(), in.size()));
  if (bytes.empty()) throw Failure(bad_data, "the input is empty");
  const std::string in_name = a.input.empty() || a.input == "-" ? std::string("the input") : a.input;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (a.framed) {
      if (bytes.size() - pos < 4)
        throw Failure(bad_data, "unexpected_end at byte " + std::to_string(pos) + " of " + in_name + ": a frame header is 4 bytes, " +
                                    std::to_string(bytes.size() - pos) + " left");
      std::int32_t len = detail::load_be<std::int32_t>(bytes.data() + pos);
      if (len < 0)
        throw Failure(bad_data, "negative_size at byte " + std::to_string(pos) + " of " + in_name + ": frame length " + std::to_string(len));
      if (static_cast<std::size_t>(len) > bytes.size() - pos - 4)
        throw Failure(bad_data, "unexpected_end at byte " + std::to_string(pos) + " of " + in_name + ": frame length " + std::to_string(len) +
                                    ", only " + std::to_string(bytes.size() - pos - 4) + " bytes follow");
      d.one(bytes.subspan(pos + 4, static_cast<std::size_t>(len)), pos + 4, true);
      pos += 4 + static_cast<std::size_t>(len);
    } else if (a.message) {
      // messages back to back (buffered transport); one message is at most max_message_size
      std::size_t window = std::min(bytes.size() - pos, ReaderLimits{}.max_message_size);
      pos += d.one(bytes.subspan(pos, window), pos, false);
    } else {
      d.one(bytes, 0, true);
      break;
    }
  }
  return ok;
}

int run_encode(const EncodeArgs& a) {
  if (a.type.empty() == a.call.empty()) throw Failure(usage, "give one of --type NAME or --call Service.method");
  LoadedIdl loaded = load_idl(a.idl, a.include_dirs);
  const dynamic::StructPlan* plan = nullptr;
  const dynamic::FunctionPlan* fn = nullptr;
  try {
    if (!a.call.empty()) {
      fn = &loaded.plans->function(a.call);
      plan = fn->args;
    } else {
      plan = &loaded.plans->struct_plan(a.type);
    }
  } catch (const dynamic::SchemaError& e) {
    throw Failure(usage, e.what());
  }
  std::string text = a.json;
  if (text.empty() || text == "-") text = read_input("-");
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    std::string hint;
    if (!a.json.empty() && a.json != "-" && a.json.find_first_of("{[\"") == std::string::npos)
      hint = " (the argument is the JSON text itself; to read it from a file: - < FILE)";
    throw Failure(bad_data, std::string("the JSON does not parse: ") + e.what() + hint);
  }
  dynamic::Value v;
  try {
    v = dynamic::from_json(*plan, j);
  } catch (const dynamic::JsonError& e) {
    throw Failure(bad_data, e.what());
  }
  BinaryWriter w;
  std::size_t mark = 0;
  if (a.framed) mark = begin_frame(w);
  if (fn) w.write_message_begin(fn->name, fn->oneway ? MessageType::Oneway : MessageType::Call, a.seqid);
  if (dynamic::Status st = dynamic::encode(w, *plan, v)) throw Failure(bad_data, st.message);
  if (a.framed)
    if (Error e = end_frame(w, mark)) throw Failure(bad_data, describe(e));
  std::string bytes(reinterpret_cast<const char*>(w.data()), w.size());
  write_output(a.output, a.hex ? to_hex(bytes) : bytes);
  return ok;
}

}  // namespace corothrift::cli
