// The runtime codec (README "Runtime codec"): encode and decode a Phonebook Entry from
// examples/phonebook.thrift loaded at run time, with no generated code; then the same
// value as JSON, and what a value that does not fit the schema gives.
//
//   dynamic_demo [PATH/phonebook.thrift]
#include <cstdio>
#include <string>

#include <corothrift/dynamic/codec.hpp>
#include <corothrift/dynamic/json.hpp>
#include <corothrift/idl/loader.hpp>

#ifndef PHONEBOOK_IDL
#define PHONEBOOK_IDL "examples/phonebook.thrift"
#endif

namespace dyn = corothrift::dynamic;

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : PHONEBOOK_IDL;
  corothrift::idl::Schema idl;
  try {
    idl = corothrift::idl::load_file(path);
  } catch (const corothrift::idl::IdlError& e) {
    std::fprintf(stderr, "%s\n", e.what());  // "file:line:col: error: ..."
    return 1;
  }
  dyn::DynamicSchema plans(idl);
  const dyn::StructPlan& entry = plans.struct_plan("Entry");

  // A value as a fresh generated Entry would hold it, then two fields set by name.
  dyn::Value v = entry.make();
  v.items[static_cast<std::size_t>(entry.find("name"))] = dyn::Value::string("Ada");
  v.items[static_cast<std::size_t>(entry.find("phone"))] = dyn::Value::string("+1-555-0100");

  corothrift::BinaryWriter w;
  if (dyn::Status st = dyn::encode(w, entry, v)) {
    std::printf("encode failed: %s\n", st.message.c_str());
    return 1;
  }
  std::printf("encoded Entry: %zu bytes:", w.size());
  for (std::byte b : w.view()) std::printf(" %02x", static_cast<unsigned>(b));
  std::printf("\n");

  dyn::Value back;
  if (corothrift::Error e = dyn::decode(w.view(), entry, back)) {
    std::printf("decode failed: %s\n", corothrift::describe(e).c_str());
    return 1;
  }
  std::printf("decoded as JSON: %s\n", dyn::to_json(entry, back).dump().c_str());
  std::printf("schema-less view: %s\n", [&] {
    corothrift::BinaryReader r(w.view());
    return dyn::raw_struct(r).dump();
  }().c_str());

  // JSON in, with an error that names the place.
  try {
    dyn::from_json(entry, dyn::Json::parse(R"({"name": "Bob", "phone": 5})"));
  } catch (const dyn::JsonError& e) {
    std::printf("from_json: %s\n", e.what());
  }
  // A Value that does not fit the schema: nothing is written, the message says where.
  v.items[static_cast<std::size_t>(entry.find("phone"))] = dyn::Value::integer(5);
  w.clear();
  dyn::Status st = dyn::encode(w, entry, v);
  std::printf("encode: %s (%zu bytes written)\n", st.message.c_str(), w.size());

  // A method's arguments, as the CLI's `call` sends them.
  const dyn::FunctionPlan& find = plans.function("Phonebook.find");
  dyn::Value args = dyn::from_json(*find.args, dyn::Json::parse(R"({"name": "Bob"})"));
  w.clear();
  w.write_message_begin(find.name, corothrift::MessageType::Call, 1);
  if (dyn::encode(w, *find.args, args)) return 1;
  std::printf("CALL find(name=Bob): %zu bytes; the result struct has %zu fields (success, not_found)\n", w.size(),
              find.result->fields.size());
  return st ? 0 : 1;
}
