// The real-world IDL corpus (../shared/idl-corpus beside the repository, read in place):
// every file loads, and a few facts per file come out right.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "idl_test_util.hpp"

using namespace idltest;
namespace fs = std::filesystem;

namespace {

const std::string corpus = COROTHRIFT_IDL_CORPUS;

// SOURCES.md: scribe.thrift needs -I apache-thrift/contrib, hive_metastore.thrift -I hive/thrift-home.
LoadOptions corpus_options() { return LoadOptions{{corpus + "/apache-thrift/contrib", corpus + "/hive/thrift-home"}}; }

Schema load(const std::string& relative) { return load_file(corpus + "/" + relative, corpus_options()); }

bool is_base(const Type& t, BaseType b) { return t.kind == Type::Kind::Base && t.base == b; }

}  // namespace

TEST_CASE("corpus: every .thrift file loads without error") {
  REQUIRE_MESSAGE(fs::is_directory(corpus), "IDL corpus directory not found: " << corpus
                                                 << " (expected ../shared/idl-corpus beside the repository)");
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".thrift") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  CHECK_MESSAGE(files.size() >= 50, "expected about 53 .thrift files in " << corpus << ", found " << files.size());
  std::size_t ok = 0;
  for (const std::string& f : files) {
    try {
      Schema s = load_file(f, corpus_options());
      CHECK(s.root != nullptr);
      CHECK(s.root->path == f);
      ++ok;
    } catch (const IdlError& e) {
      FAIL_CHECK("corpus file failed to load: " << f << "\n" << e.what());
    }
  }
  std::printf("idl-parser: corpus %zu/%zu files parsed (%s)\n", ok, files.size(), corpus.c_str());
  CHECK(ok == files.size());
}

TEST_CASE("corpus: ThriftTest.thrift (with uuid)") {
  Schema s = load("apache-thrift/test/ThriftTest.thrift");
  const Program& p = *s.root;
  CHECK(s.programs.size() == 1);
  CHECK(p.name == "ThriftTest");
  CHECK(p.namespace_for("cpp") == "thrift.test");
  CHECK(p.namespace_for("py.twisted") == "ThriftTest");
  CHECK(p.namespace_for("cpp.noexist") == "ThriftTest");
  CHECK(p.namespace_for("haxe") == "thrift.test");  // "*"

  const Service& svc = named(p.services, "ThriftTest");
  const Function& test_void = named(svc.functions, "testVoid");
  CHECK(is_base(*test_void.return_type, BaseType::Void));
  CHECK(test_void.args.empty());
  CHECK(test_void.doc == "Prints \"testVoid()\" and returns nothing.");
  const Function& test_string = named(svc.functions, "testString");
  CHECK(is_base(*test_string.return_type, BaseType::String));
  REQUIRE(test_string.args.size() == 1);
  CHECK(test_string.args[0].id == 1);
  CHECK(test_string.args[0].name == "thing");
  const Function& test_uuid = named(svc.functions, "testUuid");
  CHECK(is_base(*test_uuid.return_type, BaseType::Uuid));
  CHECK(named(svc.functions, "testOneway").oneway);
  const Function& multi_ex = named(svc.functions, "testMultiException");
  REQUIRE(multi_ex.throws.size() == 2);
  CHECK(target<Struct>(*multi_ex.throws[1].type) == &named(p.structs, "Xception2"));

  const Struct& xtruct = named(p.structs, "Xtruct");
  REQUIRE(xtruct.fields.size() == 4);
  CHECK(xtruct.fields[0].id == 1);
  CHECK(xtruct.fields[0].name == "string_thing");
  CHECK(is_base(*xtruct.fields[0].type, BaseType::String));
  CHECK(xtruct.fields[1].id == 4);
  CHECK(is_base(*xtruct.fields[1].type, BaseType::I8));
  CHECK(xtruct.fields[3].id == 11);

  const Enum& numberz = named(p.enums, "Numberz");
  std::vector<std::pair<std::string, int>> values;
  for (const EnumValue& v : numberz.values) values.emplace_back(v.name, v.value);
  CHECK(values == std::vector<std::pair<std::string, int>>{
                      {"ONE", 1}, {"TWO", 2}, {"THREE", 3}, {"FIVE", 5}, {"SIX", 6}, {"EIGHT", 8}});

  const Typedef& user_id = named(p.typedefs, "UserId");
  CHECK(is_base(*user_id.type, BaseType::I64));
  const Typedef& map_type = named(p.typedefs, "MapType");
  REQUIRE(map_type.type->kind == Type::Kind::Map);
  CHECK(target<Struct>(*map_type.type->value) == &named(p.structs, "Bonk"));
  const Field& user_map = field(named(p.structs, "Insanity"), "userMap");
  CHECK(target<Enum>(*user_map.type->elem) == &numberz);
  CHECK(target<Typedef>(*user_map.type->value) == &user_id);
  CHECK(is_base(resolve_typedefs(*user_map.type->value), BaseType::I64));
  CHECK(annotation(named(p.structs, "Insanity").annotations, "python.immutable") == "");

  const Struct& crazy = named(p.structs, "CrazyNesting");
  CHECK(field(crazy, "list_field").req == Requiredness::Required);
  CHECK(field(crazy, "set_field").req == Requiredness::Optional);
  CHECK(is_base(*field(crazy, "uuid_field").type, BaseType::Uuid));
  CHECK(named(p.structs, "SomeUnion").kind == Struct::Kind::Union);
  CHECK(named(p.consts, "myNumberz").value.text == "Numberz.ONE");
  const Field& bin_set = field(named(p.structs, "OptionalBinary"), "bin_set");
  CHECK(bin_set.default_value->kind == ConstValue::Kind::List);  // written `= {}`
}

TEST_CASE("corpus: v0.16/ThriftTest.thrift and Include.thrift, which includes it") {
  Schema old = load("apache-thrift/test/v0.16/ThriftTest.thrift");
  const Service& svc = named(old.root->services, "ThriftTest");
  CHECK(std::none_of(svc.functions.begin(), svc.functions.end(),
                     [](const Function& f) { return f.name == "testUuid"; }));
  CHECK(named(svc.functions, "testVoid").args.empty());

  Schema s = load("apache-thrift/test/Include.thrift");
  REQUIRE(s.programs.size() == 2);
  const Program& inc = *s.programs[0];
  CHECK(inc.name == "ThriftTest");
  CHECK(inc.path == corpus + "/apache-thrift/test/v0.16/ThriftTest.thrift");
  CHECK(s.root->name == "Include");
  CHECK(s.root->included.at(0) == &inc);
  const Field& bools = field(named(s.root->structs, "IncludeTest"), "bools");
  CHECK(bools.type->name == "ThriftTest.Bools");
  CHECK(bools.type->target_program == &inc);
  CHECK(target<Struct>(*bools.type) == &named(inc.structs, "Bools"));
}

TEST_CASE("corpus: include paths (scribe, hive) and extends across files") {
  Schema scribe = load("scribe/if/scribe.thrift");
  REQUIRE(scribe.programs.size() == 2);
  const Program& fb303 = program_named(scribe, "fb303");
  CHECK(fb303.path == corpus + "/apache-thrift/contrib/fb303/if/fb303.thrift");
  const Service& svc = named(scribe.root->services, "scribe");
  CHECK(svc.extends == "fb303.FacebookService");
  CHECK(svc.base == &named(fb303.services, "FacebookService"));
  CHECK(svc.base_program == &fb303);
  const Enum& status = named(fb303.enums, "fb_status");
  CHECK(status.values.at(2).name == "ALIVE");
  CHECK(status.values.at(2).value == 2);
  CHECK(named(named(fb303.services, "FacebookService").functions, "shutdown").oneway);

  Schema hive = load("hive/standalone-metastore/src/main/thrift/hive_metastore.thrift");
  const Program& hive_fb303 = program_named(hive, "fb303");
  CHECK(hive_fb303.path == corpus + "/hive/thrift-home/share/fb303/if/fb303.thrift");
  CHECK(named(hive.root->services, "ThriftHiveMetastore").base_program == &hive_fb303);
  // `2: ... o2` without an id in a throws list gets an implicit id, with a warning.
  const Function& create = named(named(hive.root->services, "ThriftHiveMetastore").functions, "create_ischema");
  REQUIRE(create.throws.size() == 3);
  CHECK(create.throws[1].id == -1);
  CHECK_FALSE(create.throws[1].explicit_id);
  CHECK(hive.warnings.size() == 1);

  // Without the include path the include cannot be found.
  CHECK_THROWS_WITH_AS(load_file(corpus + "/scribe/if/scribe.thrift"),
                       doctest::Contains("error: included file 'fb303/if/fb303.thrift' not found"), IdlError);
}

TEST_CASE("corpus: accumulo include graph loads every file once, includes first") {
  Schema s = load("accumulo/core/src/main/thrift/tabletingest.thrift");
  std::vector<std::string> names;
  for (const auto& p : s.programs) names.push_back(p->name);
  CHECK(names == std::vector<std::string>{"security", "client", "data", "manager", "tabletserver", "tabletingest"});
  std::set<const Program*> seen;
  for (const auto& p : s.programs) {
    for (const Program* inc : p->included) CHECK(seen.count(inc) == 1);  // already earlier in the list
    seen.insert(p.get());
  }
}

TEST_CASE("corpus: NameConflictTest.thrift (type keywords as names)") {
  Schema s = load("apache-thrift/test/NameConflictTest.thrift");
  const Struct& t = named(s.root->structs, "Thrift5626");
  REQUIRE(t.fields.size() == 12);
  CHECK(t.fields[0].name == "i8");
  CHECK(is_base(*t.fields[0].type, BaseType::I8));
  CHECK(t.fields[4].name == "uuid");
  CHECK(is_base(*t.fields[8].type, BaseType::I8));  // byte byte
  CHECK(t.fields[9].name == "list");
  CHECK(t.fields[11].type->kind == Type::Kind::Map);
  const Struct& nested = named(s.root->structs, "Nested");
  CHECK(target<Struct>(*field(nested, "Nested").type) == &nested);
  const Service& ext = named(s.root->services, "extern");
  CHECK(target<Struct>(*named(ext.functions, "event").return_type)->name == "delegate");
  CHECK(named(s.root->enums, "Maybe").values.at(1).name == "TRUE");
}

TEST_CASE("corpus: DebugProtoTest, EnumTest, ConstantsDemo, Recursive, AnnotationTest, DocTest") {
  Schema debug = load("apache-thrift/test/DebugProtoTest.thrift");
  const Struct& tuple = named(debug.root->structs, "TupleProtocolTestStruct");
  REQUIRE(tuple.fields.size() == 12);
  CHECK(tuple.fields[11].id == -12);
  CHECK(debug.warnings.size() == 12);
  CHECK(named(debug.root->services, "Inherited").base == &named(debug.root->services, "Srv"));
  const ConstValue& compact = named(debug.root->consts, "COMPACT_TEST").value;
  CHECK(compact.kind == ConstValue::Kind::Map);
  CHECK(compact.map.at(3).second.integer == 0xffffffffff);
  CHECK(named(debug.root->consts, "MY_SOME_ENUM").doc == "This is a docstring on a constant!");

  Schema en = load("apache-thrift/test/EnumTest.thrift");
  const Enum& e4 = named(en.root->enums, "MyEnum4");
  CHECK(e4.values.at(2).value == 2147483647);
  const Enum& e3 = named(en.root->enums, "MyEnum3");
  CHECK(e3.values.at(2).value == -2);
  CHECK(e3.values.at(4).name == "ME3_D0");
  CHECK(e3.values.at(4).value == 0);
  CHECK(e3.values.at(7).value == 10);

  Schema demo = load("apache-thrift/test/ConstantsDemo.thrift");
  CHECK(named(demo.root->consts, "hex_const").value.integer == 31);
  CHECK(named(demo.root->consts, "negative_hex_constant").value.integer == -31);
  CHECK(named(demo.root->consts, "GEn_DU").value.real == 85.2355);
  CHECK(named(demo.root->consts, "e11").value.real == -1e10);
  CHECK(named(demo.root->consts, "GEN_MAP2").value.map.at(2).second.integer == 98325);
  CHECK(named(demo.root->consts, "GEN_MAP2").value.map.at(2).first.text == "lkjsdf");
  const Typedef& my_uuid = named(demo.root->typedefs, "myUUID");
  CHECK(is_base(*my_uuid.type, BaseType::Uuid));

  Schema rec = load("apache-thrift/test/Recursive.thrift");
  CHECK(field(named(rec.root->structs, "RecList"), "nextitem").reference);
  CHECK_FALSE(field(named(rec.root->structs, "CoRec2"), "other").reference);

  Schema ann = load("apache-thrift/test/AnnotationTest.thrift");
  const Typedef& linked = named(ann.root->typedefs, "int_linked_list");
  CHECK(annotation(linked.type->annotations, "cpp.template") == "std::list");
  const Struct& foo = named(ann.root->structs, "foo");
  CHECK(annotation(foo.annotations, "annotation.without.value") == "");
  CHECK(annotation(field(foo, "baz").annotations, "cpp.use_pointer") == "");
  const Service& dep = named(ann.root->services, "deprecate_everything");
  CHECK(annotation(named(dep.functions, "Foo").annotations, "deprecated") == "This method has neither 'x' nor \"y\"");
  CHECK(annotation(named(dep.functions, "Baz").annotations, "deprecated").find("tabs (\t)") != std::string::npos);

  Schema doc = load("apache-thrift/test/DocTest.thrift");
  CHECK(doc.root->doc == "Program doctext.\n\nSeriously, this is the documentation for this whole program.");
  CHECK(named(doc.root->typedefs, "StandardMultiLine").doc == "This is the canonical example\nof a multiline docstring.");
  CHECK(named(doc.root->typedefs, "SorryNoGo").doc.empty());  // `///` is not a doc comment
  CHECK(named(doc.root->typedefs, "NoStars").doc ==
        "No stars in this one.\nIt should still work fine, though.\n  Including indenting.");
  CHECK(named(doc.root->structs, "EmptyStruct").doc == "Doc");
  CHECK(named(doc.root->structs, "TestFor3709_05").doc == "Comment-end tokens can of course have more than one asterisk");
  CHECK(field(named(doc.root->structs, "Xtruct"), "byte_thing").doc == "doct text goes before a comma");
  const Function& test_enum = named(named(doc.root->services, "ThriftTest").functions, "testEnum");
  CHECK(test_enum.args.at(0).doc == "This param is a thing");
}

TEST_CASE("corpus: other projects") {
  Schema parquet = load("parquet-format/src/main/thrift/parquet.thrift");
  const Struct& page = named(parquet.root->structs, "DataPageHeaderV2");
  CHECK(field(page, "is_compressed").default_value->integer == 1);  // `= true`
  CHECK(parquet.root->namespace_for("java") == "org.apache.parquet.format");

  Schema aurora = load("aurora/api/src/main/thrift/org/apache/aurora/gen/api.thrift");
  const Const& active = named(aurora.root->consts, "ACTIVE_STATES");
  CHECK(active.value.list.size() == 10);  // one comma is missing in the file: separators are optional
  CHECK(active.value.list.at(6).text == "ScheduleStatus.RUNNING");

  Schema hbase = load("hbase/hbase-thrift/src/main/resources/org/apache/hadoop/hbase/thrift2/hbase.thrift");
  const Field& filter_op = field(named(hbase.root->structs, "TLogQueryFilter"), "filterByOperator");
  CHECK(filter_op.default_value->text == "TFilterByOperator.OR");
  CHECK(target<Enum>(*filter_op.type)->name == "TFilterByOperator");

  Schema jaeger = load("jaeger-idl/thrift/agent.thrift");
  CHECK(jaeger.programs.size() == 3);
  const Service& agent = named(jaeger.root->services, "Agent");
  const Type& spans = *agent.functions.at(0).args.at(0).type;
  CHECK(target<Struct>(*spans.elem)->name == "Span");
  CHECK(spans.elem->target_program->name == "zipkincore");

  Schema cassandra = load("cassandra/interface/cassandra.thrift");
  CHECK(named(cassandra.root->consts, "VERSION").value.text == "20.1.0");
}
