// Recursive-descent parser for Thrift IDL. Keywords are contextual: a word is a keyword only
// where the grammar expects one, so `1: i8 i8` and `service extern` parse.
#include "parser.hpp"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "lexer.hpp"

namespace corothrift::idl::detail {

namespace {

struct SyntaxError {};  // thrown after the error is recorded; caught where parsing resumes

// Words that start a top-level statement.
const std::set<std::string, std::less<>>& statement_words() {
  static const std::set<std::string, std::less<>> s = {
      "include", "cpp_include", "namespace", "const", "typedef", "enum", "senum", "struct", "union",
      "exception", "service", "php_namespace", "cpp_namespace", "java_package", "cocoa_prefix",
      "csharp_namespace", "delphi_namespace", "py_module", "perl_package", "ruby_namespace",
      "smalltalk_category", "smalltalk_prefix", "xsd_namespace"};
  return s;
}

// Old one-word namespace headers -> the scope they set.
const std::map<std::string, std::string, std::less<>>& legacy_namespaces() {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"php_namespace", "php"},          {"cpp_namespace", "cpp"},
      {"java_package", "java"},          {"cocoa_prefix", "cocoa"},
      {"csharp_namespace", "csharp"},    {"delphi_namespace", "delphi"},
      {"py_module", "py"},               {"perl_package", "perl"},
      {"ruby_namespace", "rb"},          {"smalltalk_category", "smalltalk.category"},
      {"smalltalk_prefix", "smalltalk.prefix"}, {"xsd_namespace", "xsd"}};
  return m;
}

const std::map<std::string, BaseType, std::less<>>& base_types() {
  static const std::map<std::string, BaseType, std::less<>> m = {
      {"bool", BaseType::Bool},     {"byte", BaseType::I8},       {"i8", BaseType::I8},
      {"i16", BaseType::I16},       {"i32", BaseType::I32},       {"i64", BaseType::I64},
      {"double", BaseType::Double}, {"string", BaseType::String}, {"binary", BaseType::Binary},
      {"uuid", BaseType::Uuid},     {"slist", BaseType::String}};
  return m;
}

// Words that can never name a type or a definition.
bool is_reserved(std::string_view w) {
  static const std::set<std::string, std::less<>> s = {
      "include", "cpp_include", "namespace", "const", "typedef", "enum", "senum", "struct",
      "union", "exception", "service", "extends", "throws", "oneway", "void", "required",
      "optional", "list", "set", "map", "cpp_type", "true", "false", "xsd_all", "xsd_optional",
      "xsd_nillable", "xsd_attrs"};
  return s.count(w) || base_types().count(w) || legacy_namespaces().count(w);
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::End: return "end of file";
    case Tok::String: {
      std::string s = t.text.size() > 40 ? t.text.substr(0, 37) + "..." : t.text;
      return "string \"" + s + "\"";
    }
    case Tok::Ident:
      return (is_reserved(t.text) ? "keyword '" : "'") + t.text + "'";
    default: return "'" + t.text + "'";
  }
}

std::string line_ref(const Location& l) { return "line " + std::to_string(l.line); }

class Parser {
 public:
  Parser(std::vector<Token> toks, const std::string& file, Diagnostics& diags, ParsedFile& out)
      : toks_(std::move(toks)), file_(file), d_(diags), out_(out), prog_(*out.program) {}

  void parse() {
    while (peek().kind != Tok::End) {
      std::size_t start = i_;
      try {
        statement();
      } catch (const SyntaxError&) {
        recover(start);
      }
    }
  }

 private:
  // ---- token access -------------------------------------------------------------------
  const Token& peek(std::size_t k = 0) const {
    std::size_t j = i_ + k;
    return j < toks_.size() ? toks_[j] : toks_.back();
  }
  const Token& next() {
    const Token& t = toks_[i_];
    if (i_ + 1 < toks_.size()) ++i_;
    return t;
  }
  Location loc(const Token& t) const { return Location{file_, t.line, t.column}; }

  [[noreturn]] void fail(const Token& t, const std::string& expected) {
    if (t.kind == Tok::End && t.truncated) throw SyntaxError{};  // the lexer said why already
    d_.syntax_error(loc(t), "expected " + expected + " but found " + describe(t));
    throw SyntaxError{};
  }
  const Token& expect_punct(char c, const std::string& context = {}) {
    if (!peek().is_punct(c))
      fail(peek(), std::string("'") + c + "'" + (context.empty() ? "" : " " + context));
    return next();
  }
  bool accept_punct(char c) {
    if (!peek().is_punct(c)) return false;
    next();
    return true;
  }
  void skip_separator() {
    if (peek().is_punct(',') || peek().is_punct(';')) next();
  }
  const Token& expect_string(const std::string& what) {
    if (peek().kind != Tok::String) fail(peek(), what);
    return next();
  }
  // A name being defined: a word without '.' that is not a keyword.
  const Token& expect_new_name(const std::string& what) {
    const Token& t = peek();
    if (t.kind != Tok::Ident || is_reserved(t.text)) fail(t, what);
    if (t.text.find('.') != std::string::npos) fail(t, what + " (a name without '.')");
    return next();
  }
  // A member name (field, argument, function, enum value): any word without '.'.
  const Token& expect_member_name(const std::string& what) {
    const Token& t = peek();
    if (t.kind != Tok::Ident) fail(t, what);
    if (t.text.find('.') != std::string::npos) fail(t, what + " (a name without '.')");
    return next();
  }

  // Skip to the next statement keyword that starts a line (an unterminated definition ends
  // where the next one begins), always making progress.
  void recover(std::size_t start) {
    if (i_ == start) next();
    while (peek().kind != Tok::End) {
      const Token& t = peek();
      bool line_start = i_ == 0 || toks_[i_ - 1].line != t.line;
      if (line_start && t.kind == Tok::Ident && statement_words().count(t.text) && i_ > start) return;
      next();
    }
  }

  // ---- statements ---------------------------------------------------------------------
  void statement() {
    const Token& t = peek();
    if (t.kind == Tok::Ident) {
      const std::string& w = t.text;
      if (w == "include" || w == "cpp_include" || w == "namespace" || legacy_namespaces().count(w)) {
        if (t.has_doc && prog_.doc.empty() && prog_.order.empty()) prog_.doc = t.doc;
        header();
        return;
      }
      if (w == "const") return const_def();
      if (w == "typedef") return typedef_def();
      if (w == "enum") return enum_def();
      if (w == "senum") return senum_def();
      if (w == "struct") return struct_def(Struct::Kind::Struct);
      if (w == "union") return struct_def(Struct::Kind::Union);
      if (w == "exception") return struct_def(Struct::Kind::Exception);
      if (w == "service") return service_def();
    }
    fail(t,
         "a definition (const, typedef, enum, senum, struct, union, exception, service) or a header "
         "(include, cpp_include, namespace)");
  }

  void header() {
    const Token& kw = next();
    std::string w = kw.text;
    if (w == "include") {
      const Token& s = expect_string("a file name in quotes after 'include'");
      prog_.includes.push_back(s.text);
      out_.include_locs.push_back(loc(s));
    } else if (w == "cpp_include") {
      prog_.cpp_includes.push_back(expect_string("a header name in quotes after 'cpp_include'").text);
    } else if (w == "namespace") {
      std::string scope;
      if (peek().is_punct('*') || peek().kind == Tok::Ident)
        scope = next().text;
      else
        fail(peek(), "a namespace scope (a language name or '*') after 'namespace'");
      if (peek().kind != Tok::Ident && peek().kind != Tok::String)
        fail(peek(), "a namespace name after 'namespace " + scope + "'");
      prog_.namespaces[scope] = next().text;
      if (peek().is_punct('(')) {
        Annotations ignored;  // e.g. namespace xsd test (uri = '...')
        annotations(ignored);
      }
    } else {
      const std::string& scope = legacy_namespaces().at(w);
      if (peek().kind != Tok::Ident && peek().kind != Tok::String)
        fail(peek(), "a namespace name after '" + w + "'");
      prog_.namespaces[scope] = next().text;
    }
    skip_separator();
  }

  void add_definition(const Token& name, DefinitionRef::Kind kind, std::size_t index) {
    auto [it, inserted] = names_.emplace(name.text, loc(name));
    if (!inserted)
      d_.error(loc(name), "duplicate definition of '" + name.text + "' (first defined at " +
                              line_ref(it->second) + ")");
    prog_.order.push_back(DefinitionRef{kind, index});
  }

  void const_def() {
    const Token& kw = next();
    Const c;
    if (kw.has_doc) c.doc = kw.doc;
    c.type = type(false);
    const Token& name = expect_new_name("a constant name");
    c.name = name.text;
    c.loc = loc(name);
    expect_punct('=', "after the constant name");
    c.value = const_value();
    skip_separator();
    prog_.consts.push_back(std::move(c));
    add_definition(name, DefinitionRef::Kind::Const, prog_.consts.size() - 1);
  }

  void typedef_def() {
    const Token& kw = next();
    Typedef t;
    if (kw.has_doc) t.doc = kw.doc;
    t.type = type(false);
    const Token& name = expect_new_name("a name for the typedef");
    t.name = name.text;
    t.loc = loc(name);
    if (peek().is_punct('(')) annotations(t.annotations);
    skip_separator();
    prog_.typedefs.push_back(std::move(t));
    add_definition(name, DefinitionRef::Kind::Typedef, prog_.typedefs.size() - 1);
  }

  void enum_def() {
    const Token& kw = next();
    Enum e;
    if (kw.has_doc) e.doc = kw.doc;
    const Token& name = expect_new_name("an enum name");
    e.name = name.text;
    e.loc = loc(name);
    expect_punct('{', "to open enum " + e.name);
    std::map<std::string, Location> seen;
    std::int64_t next_value = 0;
    while (!peek().is_punct('}')) {
      if (peek().kind != Tok::Ident) fail(peek(), "an enum value name or '}'");
      const Token& vname = expect_member_name("an enum value name");
      EnumValue v;
      if (vname.has_doc) v.doc = vname.doc;
      v.name = vname.text;
      v.loc = loc(vname);
      std::int64_t value = next_value;
      Location value_loc = v.loc;
      bool in_range = true;
      if (accept_punct('=')) {
        if (peek().kind != Tok::Int) fail(peek(), "an integer value for '" + v.name + "'");
        const Token& num = next();
        value = num.integer;
        value_loc = loc(num);
        v.explicit_value = true;
        if (value < std::numeric_limits<std::int32_t>::min() || value > std::numeric_limits<std::int32_t>::max()) {
          d_.error(value_loc, "enum value " + num.text + " for '" + v.name + "' in enum " + e.name +
                                  " is out of range for i32 (expected -2147483648..2147483647)");
          in_range = false;
        }
      } else if (value > std::numeric_limits<std::int32_t>::max()) {
        d_.error(value_loc, "implicit value " + std::to_string(value) + " for '" + v.name + "' in enum " +
                                e.name + " (previous value + 1) is out of range for i32");
        in_range = false;
      }
      v.value = in_range ? static_cast<std::int32_t>(value) : 0;
      next_value = in_range ? value + 1 : 0;
      if (peek().is_punct('(')) annotations(v.annotations);
      skip_separator();
      auto [it, inserted] = seen.emplace(v.name, v.loc);
      if (!inserted)
        d_.error(v.loc, "duplicate enum value '" + v.name + "' in enum " + e.name + " (first declared at " +
                            line_ref(it->second) + ")");
      e.values.push_back(std::move(v));
    }
    next();
    if (peek().is_punct('(')) annotations(e.annotations);
    skip_separator();
    prog_.enums.push_back(std::move(e));
    add_definition(name, DefinitionRef::Kind::Enum, prog_.enums.size() - 1);
  }

  void senum_def() {
    const Token& kw = next();
    Senum s;
    if (kw.has_doc) s.doc = kw.doc;
    const Token& name = expect_new_name("a senum name");
    s.name = name.text;
    s.loc = loc(name);
    expect_punct('{', "to open senum " + s.name);
    while (!peek().is_punct('}')) {
      if (peek().kind != Tok::String) fail(peek(), "a string literal or '}' in senum " + s.name);
      s.values.push_back(next().text);
      skip_separator();
    }
    next();
    if (peek().is_punct('(')) annotations(s.annotations);
    skip_separator();
    prog_.senums.push_back(std::move(s));
    add_definition(name, DefinitionRef::Kind::Senum, prog_.senums.size() - 1);
  }

  void struct_def(Struct::Kind kind) {
    const Token& kw = next();
    Struct s;
    s.kind = kind;
    if (kw.has_doc) s.doc = kw.doc;
    const std::string what = kw.text;  // struct / union / exception
    const Token& name = expect_new_name("a " + what + " name");
    s.name = name.text;
    s.loc = loc(name);
    if (peek().is_word("xsd_all")) next();
    expect_punct('{', "to open " + what + " " + s.name);
    field_list(s.fields, '}', what + " " + s.name, kind == Struct::Kind::Union);
    if (peek().is_punct('(')) annotations(s.annotations);
    skip_separator();
    prog_.structs.push_back(std::move(s));
    add_definition(name, DefinitionRef::Kind::Struct, prog_.structs.size() - 1);
  }

  void service_def() {
    const Token& kw = next();
    Service s;
    if (kw.has_doc) s.doc = kw.doc;
    const Token& name = expect_new_name("a service name");
    s.name = name.text;
    s.loc = loc(name);
    Location extends_loc;
    if (peek().is_word("extends")) {
      next();
      if (peek().kind != Tok::Ident || is_reserved(peek().text))
        fail(peek(), "the name of a service after 'extends'");
      const Token& base = next();
      s.extends = base.text;
      extends_loc = loc(base);
    }
    expect_punct('{', "to open service " + s.name);
    std::map<std::string, Location> seen;
    while (!peek().is_punct('}')) {
      Function f = function(s.name);
      auto [it, inserted] = seen.emplace(f.name, f.loc);
      if (!inserted)
        d_.error(f.loc, "duplicate function '" + f.name + "' in service " + s.name + " (first declared at " +
                            line_ref(it->second) + ")");
      s.functions.push_back(std::move(f));
    }
    next();
    if (peek().is_punct('(')) annotations(s.annotations);
    skip_separator();
    prog_.services.push_back(std::move(s));
    out_.extends_locs.push_back(extends_loc);
    add_definition(name, DefinitionRef::Kind::Service, prog_.services.size() - 1);
  }

  Function function(const std::string& service) {
    const Token& first = peek();
    if (first.kind != Tok::Ident) fail(first, "a function or '}'");
    Function f;
    if (first.has_doc) f.doc = first.doc;
    if (first.is_word("oneway") && peek(1).kind == Tok::Ident) {
      next();
      f.oneway = true;
    }
    f.return_type = type(true);
    const Token& name = expect_member_name("a function name");
    f.name = name.text;
    f.loc = loc(name);
    const std::string ctx = service + "." + f.name;
    expect_punct('(', "after function name '" + f.name + "'");
    field_list(f.args, ')', "arguments of function " + ctx, false);
    if (peek().is_word("throws")) {
      const Token& throws_kw = next();
      expect_punct('(', "after 'throws'");
      field_list(f.throws, ')', "throws list of function " + ctx, false);
      if (f.oneway)
        d_.error(loc(throws_kw), "oneway function '" + f.name + "' cannot throw exceptions (remove 'throws' or 'oneway')");
    }
    if (f.oneway && !(f.return_type->kind == Type::Kind::Base && f.return_type->base == BaseType::Void))
      d_.error(f.return_type->loc, "oneway function '" + f.name + "' must return void but returns " +
                                       return_type_text(*f.return_type));
    if (peek().is_punct('(')) annotations(f.annotations);
    skip_separator();
    return f;
  }

  static std::string return_type_text(const Type& t) {
    switch (t.kind) {
      case Type::Kind::Named: return "'" + t.name + "'";
      case Type::Kind::List: return "a list";
      case Type::Kind::Set: return "a set";
      case Type::Kind::Map: return "a map";
      case Type::Kind::Base: break;
    }
    static const char* names[] = {"void", "bool", "i8", "i16", "i32", "i64", "double", "string", "binary", "uuid"};
    return names[static_cast<int>(t.base)];
  }

  struct FieldMeta {
    Location id_loc;
    Location name_loc;
    bool id_ok = false;
  };

  // Fields up to and including `close`; assigns implicit ids and checks ids and names.
  void field_list(std::vector<Field>& fields, char close, const std::string& ctx, bool is_union) {
    std::vector<FieldMeta> meta;
    while (!peek().is_punct(close)) {
      FieldMeta m;
      fields.push_back(field(close, m));
      meta.push_back(m);
    }
    next();
    std::int16_t implicit = -1;
    std::map<std::int64_t, std::size_t> ids;
    std::map<std::string, std::size_t> names;
    for (std::size_t k = 0; k < fields.size(); ++k) {
      Field& f = fields[k];
      if (!f.explicit_id) {
        f.id = implicit--;
        meta[k].id_ok = true;
        d_.warning(f.loc, "field '" + f.name + "' in " + ctx + " has no id; using implicit id " +
                              std::to_string(f.id) + " (give it an explicit positive id)");
      }
      if (is_union) {
        if (f.req == Requiredness::Required)
          d_.warning(f.loc, "union member '" + f.name + "' in " + ctx + " cannot be required; treated as optional");
        f.req = Requiredness::Optional;
      }
      if (meta[k].id_ok) {
        auto [it, inserted] = ids.emplace(f.id, k);
        if (!inserted) {
          const Field& first = fields[it->second];
          d_.error(meta[k].id_loc, "duplicate field id " + std::to_string(f.id) + " in " + ctx + " (first used by '" +
                                       first.name + "' at " + line_ref(first.loc) + ")");
        }
      }
      auto [it, inserted] = names.emplace(f.name, k);
      if (!inserted)
        d_.error(meta[k].name_loc, "duplicate field name '" + f.name + "' in " + ctx + " (first declared at " +
                                       line_ref(fields[it->second].loc) + ")");
    }
  }

  Field field(char close, FieldMeta& m) {
    const Token& first = peek();
    Field f;
    if (first.has_doc) f.doc = first.doc;
    if (first.kind == Tok::Int) {
      const Token& id = next();
      m.id_loc = loc(id);
      expect_punct(':', "after field id " + id.text);
      if (id.integer < 1 || id.integer > std::numeric_limits<std::int16_t>::max()) {
        d_.error(m.id_loc, "field id " + id.text + " is out of range (expected 1..32767)");
      } else {
        f.id = static_cast<std::int16_t>(id.integer);
        m.id_ok = true;
      }
    } else if (first.kind == Tok::Ident) {
      f.explicit_id = false;
      m.id_loc = loc(first);
    } else {
      fail(first, std::string("a field (id ':' type name) or '") + close + "'");
    }
    if (peek().is_word("required") && peek(1).kind == Tok::Ident) {
      next();
      f.req = Requiredness::Required;
    } else if (peek().is_word("optional") && peek(1).kind == Tok::Ident) {
      next();
      f.req = Requiredness::Optional;
    }
    f.type = type(false);
    if (accept_punct('&')) f.reference = true;
    const Token& name = expect_member_name("a field name");
    f.name = name.text;
    f.loc = loc(name);
    m.name_loc = loc(name);
    if (accept_punct('=')) f.default_value = const_value();
    if (peek().is_word("xsd_optional")) next();
    if (peek().is_word("xsd_nillable")) next();
    if (peek().is_word("xsd_attrs")) {
      next();
      expect_punct('{', "after 'xsd_attrs'");
      std::vector<Field> attrs;  // XML schema attributes: parsed and dropped
      while (!peek().is_punct('}')) {
        FieldMeta im;
        attrs.push_back(field('}', im));
      }
      next();
    }
    if (peek().is_punct('(')) annotations(f.annotations);
    skip_separator();
    return f;
  }

  // ---- types, annotations, values ------------------------------------------------------
  // Nested types and values recurse; a hostile file must not exhaust the stack.
  static constexpr int max_depth = 200;
  struct DepthGuard {
    Parser& p;
    DepthGuard(Parser& parser, const Token& t) : p(parser) {
      if (++p.depth_ > max_depth) {
        --p.depth_;  // this guard never finishes construction, so its destructor will not run
        p.d_.syntax_error(p.loc(t), "nesting too deep: more than " + std::to_string(max_depth) +
                                        " levels of nested types or constant values");
        throw SyntaxError{};
      }
    }
    ~DepthGuard() { --p.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
  };

  TypePtr type(bool allow_void) {
    const Token& t = peek();
    DepthGuard guard(*this, t);
    auto ty = std::make_shared<Type>();
    ty->loc = loc(t);
    if (t.kind != Tok::Ident) fail(t, allow_void ? "a return type" : "a type");
    const std::string& w = t.text;
    if (w == "void") {
      if (!allow_void) fail(t, "a type ('void' is only allowed as a function's return type)");
      next();
      ty->kind = Type::Kind::Base;
      ty->base = BaseType::Void;
    } else if (auto it = base_types().find(w); it != base_types().end()) {
      next();
      ty->kind = Type::Kind::Base;
      ty->base = it->second;
    } else if (w == "list" || w == "set" || w == "map") {
      next();
      ty->kind = w == "list" ? Type::Kind::List : w == "set" ? Type::Kind::Set : Type::Kind::Map;
      cpp_type(*ty);
      expect_punct('<', "after '" + w + "'");
      ty->elem = type(false);
      if (ty->kind == Type::Kind::Map) {
        expect_punct(',', "between the key and value types of a map");
        ty->value = type(false);
      }
      expect_punct('>', "to close '" + w + "<'");
      cpp_type(*ty);
    } else if (is_reserved(w)) {
      fail(t, allow_void ? "a return type" : "a type");
    } else {
      next();
      ty->kind = Type::Kind::Named;
      ty->name = w;
    }
    if (peek().is_punct('(')) annotations(ty->annotations);
    return ty;
  }

  void cpp_type(Type& ty) {
    if (!peek().is_word("cpp_type")) return;
    next();
    ty.cpp_type = expect_string("a C++ type name in quotes after 'cpp_type'").text;
  }

  void annotations(Annotations& out) {
    expect_punct('(');
    while (!peek().is_punct(')')) {
      if (peek().kind != Tok::Ident) fail(peek(), "an annotation name or ')'");
      const Token& key = next();
      Annotation a;
      a.key = key.text;
      a.loc = loc(key);
      if (accept_punct('=')) {
        const Token& v = peek();
        if (v.kind != Tok::String && v.kind != Tok::Int && v.kind != Tok::Double && v.kind != Tok::Ident)
          fail(v, "a value in quotes for annotation '" + a.key + "'");
        a.value = next().text;
      }
      out.push_back(std::move(a));
      skip_separator();
    }
    next();
  }

  ConstValue const_value() {
    const Token& t = peek();
    DepthGuard guard(*this, t);
    ConstValue v;
    v.loc = loc(t);
    switch (t.kind) {
      case Tok::Int:
        v.kind = ConstValue::Kind::Int;
        v.integer = t.integer;
        next();
        return v;
      case Tok::Double:
        v.kind = ConstValue::Kind::Double;
        v.real = t.real;
        next();
        return v;
      case Tok::String:
        v.kind = ConstValue::Kind::String;
        v.text = t.text;
        next();
        return v;
      case Tok::Ident:
        if (t.text == "true" || t.text == "false") {
          v.kind = ConstValue::Kind::Int;
          v.integer = t.text == "true" ? 1 : 0;
        } else {
          v.kind = ConstValue::Kind::Identifier;
          v.text = t.text;
        }
        next();
        return v;
      default: break;
    }
    if (t.is_punct('[')) {
      next();
      v.kind = ConstValue::Kind::List;
      while (!peek().is_punct(']')) {
        v.list.push_back(const_value());
        skip_separator();  // separators are optional, as in Apache's grammar
      }
      next();
      return v;
    }
    if (t.is_punct('{')) {
      next();
      v.kind = ConstValue::Kind::Map;
      while (!peek().is_punct('}')) {
        ConstValue key = const_value();
        expect_punct(':', "after a map key");
        ConstValue value = const_value();
        v.map.push_back(ConstPair{std::move(key), std::move(value)});
        skip_separator();
      }
      next();
      return v;
    }
    fail(t, "a constant value (number, string, identifier, [list] or {map})");
  }

  std::vector<Token> toks_;
  std::size_t i_ = 0;
  const std::string& file_;
  Diagnostics& d_;
  ParsedFile& out_;
  Program& prog_;
  std::map<std::string, Location> names_;
  int depth_ = 0;
};

}  // namespace

ParsedFile parse_program(std::string_view text, const std::string& path, Diagnostics& diags) {
  ParsedFile out;
  out.program = std::make_unique<Program>();
  out.program->path = path;
  std::string name = std::filesystem::path(path).filename().string();
  if (name.size() > 7 && name.compare(name.size() - 7, 7, ".thrift") == 0) name.resize(name.size() - 7);
  out.program->name = name;
  Parser(tokenize(text, path, diags), path, diags, out).parse();
  return out;
}

}  // namespace corothrift::idl::detail
