// features.thrift: every construct of the grammar, checked in the resulting model.
#include <doctest/doctest.h>

#include <algorithm>

#include "idl_test_util.hpp"

using namespace idltest;

namespace {

const std::string features_path = std::string(COROTHRIFT_IDL_TEST_DIR) + "/features.thrift";

const Schema& features() {
  static const Schema s = load_file(features_path);
  return s;
}

bool is_base(const Type& t, BaseType b) { return t.kind == Type::Kind::Base && t.base == b; }

const Const& constant(std::string_view name) { return named(features().root->consts, name); }

}  // namespace

TEST_CASE("features: programs, includes, headers") {
  const Schema& s = features();
  REQUIRE(s.programs.size() == 2);
  const Program& root = *s.root;
  CHECK(s.programs.back().get() == &root);
  CHECK(root.name == "features");
  CHECK(root.path == features_path);
  const Program& inc = *s.programs.front();
  CHECK(inc.name == "features_inc");
  REQUIRE(root.includes == std::vector<std::string>{"features_inc.thrift"});
  REQUIRE(root.included.size() == 1);
  CHECK(root.included[0] == &inc);
  CHECK(root.cpp_includes == std::vector<std::string>{"<unordered_map>", "custom/types.h"});
  CHECK(root.doc == "Feature test for the corothrift IDL parser:\nevery construct of the grammar at least once.");

  CHECK(root.namespaces.at("cpp") == "corothrift.test.features");
  CHECK(root.namespaces.at("*") == "features.all");
  CHECK(root.namespaces.at("py.twisted") == "features.twisted");
  CHECK(root.namespaces.at("st") == "Features.St");
  CHECK(root.namespaces.at("php") == "FeaturesPhp");
  CHECK(root.namespaces.at("java") == "org.example.features");
  CHECK(root.namespaces.at("cocoa") == "FT");
  CHECK(root.namespaces.at("csharp") == "Features.CSharp");
  CHECK(root.namespaces.at("smalltalk.category") == "Features.Legacy");
  CHECK(root.namespaces.at("xsd") == "http://example.com/features");
  CHECK(root.namespaces.size() == 10);
  CHECK(root.namespace_for("go") == "features.all");  // falls back to "*"
  CHECK(inc.namespace_for("go") == "");
  CHECK(inc.namespace_for("cpp") == "features.inc");
}

TEST_CASE("features: declaration order") {
  const Program& p = *features().root;
  REQUIRE(p.order.size() == p.typedefs.size() + p.enums.size() + p.senums.size() + p.consts.size() +
                                p.structs.size() + p.services.size());
  CHECK(p.typedefs.size() == 8);
  CHECK(p.enums.size() == 1);
  CHECK(p.senums.size() == 1);
  CHECK(p.structs.size() == 6);
  CHECK(p.services.size() == 3);
  CHECK(p.order[0].kind == DefinitionRef::Kind::Typedef);
  CHECK(p.order[0].index == 0);
  CHECK(p.order[8].kind == DefinitionRef::Kind::Enum);
  CHECK(p.order[9].kind == DefinitionRef::Kind::Senum);
  CHECK(p.order[10].kind == DefinitionRef::Kind::Struct);
  CHECK(p.structs[p.order[10].index].name == "Point");
  CHECK(p.order.back().kind == DefinitionRef::Kind::Service);
  CHECK(p.services[p.order.back().index].name == "IncExtends");
}

TEST_CASE("features: typedefs, cpp_type and type annotations") {
  const Program& p = *features().root;
  const Typedef& user_id = named(p.typedefs, "UserId");
  CHECK(is_base(*user_id.type, BaseType::I64));
  CHECK(user_id.doc == "A typedef doc.");
  CHECK(annotation(user_id.annotations, "units") == "id");

  const Typedef& inc_color = named(p.typedefs, "IncColor");
  REQUIRE(inc_color.type->kind == Type::Kind::Named);
  CHECK(inc_color.type->name == "features_inc.Color");
  REQUIRE(target<Enum>(*inc_color.type) != nullptr);
  CHECK(target<Enum>(*inc_color.type)->name == "Color");
  CHECK(inc_color.type->target_program == features().programs.front().get());

  const Typedef& deque = named(p.typedefs, "IntDeque");
  CHECK(deque.type->kind == Type::Kind::List);
  CHECK(deque.type->cpp_type == "std::deque<int32_t>");
  CHECK(is_base(*deque.type->elem, BaseType::I32));
  const Typedef& set = named(p.typedefs, "StringSet");
  CHECK(set.type->kind == Type::Kind::Set);
  CHECK(set.type->cpp_type == "std::unordered_set<std::string>");
  const Typedef& map = named(p.typedefs, "IntMap");
  CHECK(map.type->kind == Type::Kind::Map);
  CHECK(map.type->cpp_type == "std::unordered_map<int, int>");
  CHECK(is_base(*map.type->elem, BaseType::I32));
  CHECK(is_base(*map.type->value, BaseType::I32));

  CHECK(is_base(*named(p.typedefs, "OldString").type, BaseType::String));  // slist
  CHECK(is_base(*named(p.typedefs, "OldByte").type, BaseType::I8));        // byte
  const Typedef& alias = named(p.typedefs, "UserIdAlias");
  CHECK(target<Typedef>(*alias.type) == &user_id);
  CHECK(is_base(resolve_typedefs(*alias.type), BaseType::I64));
}

TEST_CASE("features: enum with implicit values, annotations and docs; senum") {
  const Program& p = *features().root;
  const Enum& e = named(p.enums, "Status");
  CHECK(e.doc == "Status doc.");
  CHECK(annotation(e.annotations, "enum.flag") == "");
  REQUIRE(e.values.size() == 6);
  const std::pair<const char*, int> expect[] = {{"UNKNOWN", 0}, {"ACTIVE", 5}, {"PAUSED", 6},
                                                {"NEGATIVE", -3}, {"AFTER_NEGATIVE", -2}, {"HEX", 16}};
  for (std::size_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK(e.values[i].name == expect[i].first);
    CHECK(e.values[i].value == expect[i].second);
  }
  CHECK_FALSE(e.values[0].explicit_value);
  CHECK(e.values[1].explicit_value);
  CHECK(e.values[0].doc == "Nothing yet.");
  CHECK(annotation(e.values[1].annotations, "note") == "five");
  CHECK(e.values[1].loc.line == 38);
  CHECK(e.values[1].loc.column == 3);

  const Senum& s = named(p.senums, "Flavor");
  CHECK(s.values == std::vector<std::string>{"vanilla", "chocolate", "strawberry"});
}

TEST_CASE("features: struct fields") {
  const Program& p = *features().root;
  const Struct& s = named(p.structs, "Point");
  CHECK(s.kind == Struct::Kind::Struct);
  CHECK(s.doc == "A point.");
  CHECK(annotation(s.annotations, "cpp.name") == "PointType");
  CHECK(annotation(s.annotations, "flag") == "");
  REQUIRE(s.fields.size() == 14);
  for (std::size_t i = 0; i < s.fields.size(); ++i) {
    CHECK(s.fields[i].id == static_cast<int>(i + 1));
    CHECK(s.fields[i].explicit_id);
  }
  const Field& x = field(s, "x");
  CHECK(x.req == Requiredness::Required);
  CHECK_FALSE(x.default_value.has_value());
  CHECK(x.loc.file == features_path);
  CHECK(x.loc.line == 49);
  const Field& y = field(s, "y");
  REQUIRE(y.default_value.has_value());
  CHECK(y.default_value->kind == ConstValue::Kind::Int);
  CHECK(y.default_value->integer == 0);
  const Field& label = field(s, "label");
  CHECK(label.req == Requiredness::Optional);
  CHECK(label.default_value->kind == ConstValue::Kind::String);
  CHECK(label.default_value->text == "none");
  const Field& tags = field(s, "tags");
  CHECK(tags.req == Requiredness::Default);
  CHECK(tags.doc == "Tags.");
  CHECK(annotation(tags.annotations, "field.anno") == "f");
  CHECK(annotation(tags.type->annotations, "elem.anno") == "yes");
  const Field& owners = field(s, "owners");
  REQUIRE(owners.type->kind == Type::Kind::Map);
  CHECK(target<Typedef>(*owners.type->value) == &named(p.typedefs, "UserId"));
  const Field& statuses = field(s, "statuses");
  REQUIRE(statuses.type->kind == Type::Kind::Set);
  CHECK(target<Enum>(*statuses.type->elem) == &named(p.enums, "Status"));
  REQUIRE(statuses.default_value->kind == ConstValue::Kind::List);
  CHECK(statuses.default_value->list.at(0).kind == ConstValue::Kind::Identifier);
  CHECK(statuses.default_value->list.at(0).text == "Status.ACTIVE");
  const Field& color = field(s, "color");
  CHECK(color.default_value->text == "features_inc.Color.RED");
  const Field& shape = field(s, "shape");
  REQUIRE(target<Struct>(*shape.type) != nullptr);
  CHECK(target<Struct>(*shape.type)->name == "Shape");
  CHECK(shape.type->target_program->name == "features_inc");
  // Type keywords as field names.
  CHECK(is_base(*field(s, "i8").type, BaseType::I8));
  CHECK(is_base(*field(s, "string").type, BaseType::String));
  CHECK(field(s, "list").type->kind == Type::Kind::List);
  const Field& next = field(s, "next");
  CHECK(next.reference);
  CHECK(target<Struct>(*next.type) == &s);
  CHECK_FALSE(x.reference);
  CHECK(is_base(*field(s, "id").type, BaseType::Uuid));

  const Struct& no_ids = named(p.structs, "NoIds");
  REQUIRE(no_ids.fields.size() == 2);
  CHECK(no_ids.fields[0].id == -1);
  CHECK(no_ids.fields[1].id == -2);
  CHECK_FALSE(no_ids.fields[0].explicit_id);
  CHECK(no_ids.fields[1].req == Requiredness::Optional);
  const auto& w = features().warnings;
  CHECK(std::count_if(w.begin(), w.end(), [](const Diagnostic& d) {
          return d.message.find("field 'first' in struct NoIds has no id; using implicit id -1") != std::string::npos;
        }) == 1);
  CHECK(w.size() == 2);
  CHECK(w.at(1).to_string() == features_path +
                                   ":68:19: field 'second' in struct NoIds has no id; using implicit "
                                   "id -2 (give it an explicit positive id)");

  CHECK(named(p.structs, "XsdStuff").fields.size() == 1);
}

TEST_CASE("features: union and exceptions") {
  const Program& p = *features().root;
  const Struct& u = named(p.structs, "Value");
  CHECK(u.kind == Struct::Kind::Union);
  for (const Field& f : u.fields) CHECK(f.req == Requiredness::Optional);  // implicitly optional
  const Struct& nf = named(p.structs, "NotFound");
  CHECK(nf.kind == Struct::Kind::Exception);
  CHECK(annotation(nf.annotations, "exc.anno") == "");
  CHECK(field(nf, "what").default_value->text == "missing");
  CHECK(named(p.structs, "Other").kind == Struct::Kind::Exception);
}

TEST_CASE("features: constants") {
  const Program& p = *features().root;
  CHECK(constant("ANSWER").value.integer == 42);
  CHECK(is_base(*constant("ANSWER").type, BaseType::I32));
  CHECK(constant("SMALL").value.integer == -128);
  CHECK(constant("HEXED").value.integer == 0x7fff);
  CHECK(constant("BIG").value.integer == INT64_MIN);
  CHECK(constant("PI").value.kind == ConstValue::Kind::Double);
  CHECK(constant("PI").value.real == 3.25);
  CHECK(constant("EXP").value.real == -2e10);
  CHECK(constant("FRACTION").value.real == 0.5);
  CHECK(constant("FROM_INT").value.kind == ConstValue::Kind::Int);
  CHECK(constant("YES").value.integer == 1);
  CHECK(constant("NO").value.integer == 0);
  CHECK(constant("GREETING").value.text == "say \"hi\"\n\t\\ 'x'");
  CHECK(constant("SINGLE").value.text == "it's");
  CHECK(constant("BYTES").value.text == "raw");
  CHECK(constant("ID").value.text == "{00112233-4455-6677-8899-aabbccddeeff}");
  CHECK(constant("DEFAULT_STATUS").value.kind == ConstValue::Kind::Identifier);
  CHECK(constant("DEFAULT_STATUS").value.text == "Status.ACTIVE");
  CHECK(target<Enum>(*constant("DEFAULT_STATUS").type) == &named(p.enums, "Status"));
  CHECK(constant("BY_NUMBER").value.integer == 5);
  CHECK(constant("COPY").value.text == "ANSWER");
  CHECK(constant("ALIASED").value.integer == 7);

  const ConstValue& primes = constant("PRIMES").value;
  REQUIRE(primes.kind == ConstValue::Kind::List);
  REQUIRE(primes.list.size() == 4);
  CHECK(primes.list[3].integer == 7);
  CHECK(constant("NAMES").value.list.at(1).text == "b");
  CHECK(constant("EMPTY").value.kind == ConstValue::Kind::List);  // `{}` for an empty list
  CHECK(constant("EMPTY").value.list.empty());

  const ConstValue& nested = constant("NESTED").value;
  REQUIRE(nested.kind == ConstValue::Kind::Map);
  REQUIRE(nested.map.size() == 3);
  CHECK(nested.map[1].first.text == "two");
  CHECK(nested.map[1].second.list.size() == 2);
  CHECK(nested.map[1].second.list[1].integer == 2);
  CHECK(nested.map[2].second.kind == ConstValue::Kind::List);
  CHECK(nested.map[2].second.list.empty());
  CHECK(constant("STATUS_NAMES").value.map.at(1).first.text == "Status.PAUSED");
  CHECK(constant("FAVOURITE").value.text == "features_inc.Color.GREEN");
  CHECK(constant("INC_LIMIT").value.text == "features_inc.LIMIT");

  const Const& origin = constant("ORIGIN");
  CHECK(target<Struct>(*origin.type) == &named(p.structs, "Point"));
  REQUIRE(origin.value.map.size() == 5);
  CHECK(origin.value.map[2].first.text == "label");
  CHECK(origin.value.map[2].second.text == "origin");
  CHECK(origin.value.map[4].second.map.at(0).second.text == "dot");
  CHECK(origin.value.loc.line == 112);
  CHECK(constant("PATH").value.list.at(1).map.at(1).second.integer == 4);
  CHECK(constant("DEEP").value.map.at(0).second.map.at(0).second.text == "x");
}

TEST_CASE("features: services") {
  const Program& p = *features().root;
  const Service& base = named(p.services, "Base");
  CHECK(base.doc == "The base service.");
  CHECK(base.extends.empty());
  CHECK(base.base == nullptr);
  const Service& svc = named(p.services, "Features");
  CHECK(svc.extends == "Base");
  CHECK(svc.base == &base);
  CHECK(svc.base_program == &p);
  CHECK(annotation(svc.annotations, "svc.anno") == "s");
  REQUIRE(svc.functions.size() == 4);

  const Function& find = svc.functions[0];
  CHECK(find.name == "find");
  CHECK(find.doc == "Finds a point.");
  CHECK_FALSE(find.oneway);
  CHECK(target<Struct>(*find.return_type) == &named(p.structs, "Point"));
  REQUIRE(find.args.size() == 2);
  CHECK(find.args[1].name == "y");
  CHECK(find.args[1].id == 2);
  CHECK(find.args[1].default_value->integer == 3);
  REQUIRE(find.throws.size() == 2);
  CHECK(find.throws[0].name == "nf");
  CHECK(target<Struct>(*find.throws[0].type) == &named(p.structs, "NotFound"));
  CHECK(find.throws[1].id == 2);

  const Function& fire = svc.functions[1];
  CHECK(fire.oneway);
  CHECK(is_base(*fire.return_type, BaseType::Void));
  CHECK(fire.throws.empty());
  const Function& all = svc.functions[2];
  CHECK(all.return_type->kind == Type::Kind::List);
  CHECK(annotation(all.annotations, "fn.anno") == "a");
  CHECK(all.args.empty());
  CHECK(is_base(*svc.functions[3].args.at(0).type, BaseType::I8));

  const Service& inc_ext = named(p.services, "IncExtends");
  CHECK(inc_ext.extends == "features_inc.IncService");
  REQUIRE(inc_ext.base != nullptr);
  CHECK(inc_ext.base->name == "IncService");
  CHECK(inc_ext.base_program == features().programs.front().get());
  CHECK(inc_ext.functions.empty());
}

TEST_CASE("load_string: resolves includes from the given path's directory, then include_dirs in order") {
  TempDir dir("incdirs");
  dir.write("lib/common.thrift", "struct FromLib { 1: i32 a }\n");
  dir.write("other/common.thrift", "struct FromOther { 1: i32 a }\n");
  dir.write("src/common.thrift", "struct FromSrc { 1: i32 a }\n");
  const std::string text = "include \"common.thrift\"\nstruct S { 1: common.FromSrc x }\n";
  // Own directory first.
  Schema s = load_string(text, dir.path() + "/src/main.thrift", LoadOptions{{dir.path() + "/lib"}});
  CHECK(s.programs.front()->path == dir.path() + "/src/common.thrift");
  // Then include_dirs, first match wins.
  const std::string text2 = "include \"common.thrift\"\nstruct S { 1: common.FromLib x }\n";
  Schema s2 = load_string(text2, dir.path() + "/main.thrift",
                          LoadOptions{{dir.path() + "/nothing", dir.path() + "/lib", dir.path() + "/other"}});
  CHECK(s2.programs.front()->path == dir.path() + "/lib/common.thrift");
  CHECK(s2.root->name == "main");
  CHECK(s2.root->path == dir.path() + "/main.thrift");
}

TEST_CASE("load_memory: includes come from the given map only, by the name as written") {
  const std::map<std::string, std::string> files{
      {"common.thrift", "enum E { A, B }\n"},
      {"mid.thrift", "include \"common.thrift\"\nstruct M { 1: common.E e = common.E.B }\n"},
  };
  Schema s = load_memory("include \"mid.thrift\"\ninclude \"common.thrift\"\nstruct S { 1: mid.M m; 2: common.E e }\n",
                         "root.thrift", files);
  REQUIRE(s.programs.size() == 3);
  CHECK(s.programs[0]->path == "common.thrift");
  CHECK(s.programs[1]->name == "mid");
  CHECK(s.root->path == "root.thrift");
  CHECK(s.programs[1]->included.at(0) == s.root->included.at(1));  // loaded once
  CHECK(target<Struct>(*named(s.root->structs, "S").fields[0].type) == &named(s.programs[1]->structs, "M"));

  auto error = [&](std::string_view text) -> std::string {
    try {
      load_memory(text, "root.thrift", files);
    } catch (const IdlError& e) {
      return e.what();
    }
    return "<no error>";
  };
  // Nothing is looked for on disk, not even beside the root.
  CHECK(error("include \"features_inc.thrift\"\n") ==
        "root.thrift:1:9: error: included file 'features_inc.thrift' not found (in memory)");
  CHECK(error("include \"root.thrift\"\n") == "root.thrift:1:9: error: include cycle: root.thrift -> root.thrift");
}

TEST_CASE("includes: each file is loaded once; includes come before includers") {
  TempDir dir("diamond");
  dir.write("d.thrift", "enum E { A, B }\n");
  dir.write("b.thrift", "include \"d.thrift\"\nstruct SB { 1: d.E e = d.E.B }\n");
  dir.write("c.thrift", "include \"d.thrift\"\ninclude \"b.thrift\"\nstruct SC { 1: b.SB sb; 2: d.E e }\n");
  std::string a = dir.write("a.thrift", "include \"b.thrift\"\ninclude \"c.thrift\"\n"
                                        "service S { c.SC get(1: b.SB sb) }\n");
  Schema s = load_file(a);
  REQUIRE(s.programs.size() == 4);
  CHECK(s.programs[0]->name == "d");
  CHECK(s.programs[1]->name == "b");
  CHECK(s.programs[2]->name == "c");
  CHECK(s.programs[3]->name == "a");
  CHECK(s.root == s.programs[3].get());
  const Program& b = *s.programs[1];
  const Program& c = *s.programs[2];
  CHECK(c.included.at(0) == s.programs[0].get());
  CHECK(c.included.at(1) == &b);
  CHECK(b.included.at(0) == c.included.at(0));  // the same Program object, loaded once
  const Struct& sc = named(c.structs, "SC");
  CHECK(target<Struct>(*sc.fields[0].type) == &named(b.structs, "SB"));
  CHECK(sc.fields[0].type->target_program == &b);
  CHECK(target<Enum>(*sc.fields[1].type)->values.at(1).name == "B");
  CHECK(s.warnings.empty());
}

TEST_CASE("warnings: union member declared required; enum value written with another enum's name") {
  Schema s = load_string("union U {\n  1: required i32 a\n}\n"
                         "enum E1 { X }\nenum E2 { Y, X }\nstruct S { 1: E2 e = E1.X }\n",
                         "warn.thrift");
  REQUIRE(s.warnings.size() == 2);
  CHECK(s.warnings[0].to_string() ==
        "warn.thrift:2:19: union member 'a' in union U cannot be required; treated as optional");
  CHECK(named(s.root->structs, "U").fields[0].req == Requiredness::Optional);
  CHECK(s.warnings[1].to_string() ==
        "warn.thrift:6:22: 'E1.X' in default value of field 'e' in struct S is not a value of enum E2; "
        "using E2.X (Apache Thrift looks up only 'X')");
  CHECK(named(s.root->structs, "S").fields[0].default_value->text == "E2.X");
}
