// Name resolution across files and the semantic checks that need resolved names.
#include "checker.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace corothrift::idl::detail {

std::string type_to_string(const Type& t) {
  switch (t.kind) {
    case Type::Kind::List: return "list<" + type_to_string(*t.elem) + ">";
    case Type::Kind::Set: return "set<" + type_to_string(*t.elem) + ">";
    case Type::Kind::Map: return "map<" + type_to_string(*t.elem) + "," + type_to_string(*t.value) + ">";
    case Type::Kind::Named: return t.name;
    case Type::Kind::Base: break;
  }
  switch (t.base) {
    case BaseType::Void: return "void";
    case BaseType::Bool: return "bool";
    case BaseType::I8: return "i8";
    case BaseType::I16: return "i16";
    case BaseType::I32: return "i32";
    case BaseType::I64: return "i64";
    case BaseType::Double: return "double";
    case BaseType::String: return "string";
    case BaseType::Binary: return "binary";
    case BaseType::Uuid: return "uuid";
  }
  return "?";
}

namespace {

using Symbol = std::variant<const Typedef*, const Enum*, const Senum*, const Struct*, const Service*, const Const*>;
using SymbolTable = std::map<std::string, Symbol, std::less<>>;

const char* symbol_kind(const Symbol& s) {
  struct V {
    const char* operator()(const Typedef*) const { return "a typedef"; }
    const char* operator()(const Enum*) const { return "an enum"; }
    const char* operator()(const Senum*) const { return "a senum"; }
    const char* operator()(const Struct* st) const {
      return st->kind == Struct::Kind::Union       ? "a union"
             : st->kind == Struct::Kind::Exception ? "an exception"
                                                   : "a struct";
    }
    const char* operator()(const Service*) const { return "a service"; }
    const char* operator()(const Const*) const { return "a constant"; }
  };
  return std::visit(V{}, s);
}

std::string describe(const ConstValue& v) {
  switch (v.kind) {
    case ConstValue::Kind::Int: return "integer " + std::to_string(v.integer);
    case ConstValue::Kind::Double: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", v.real);
      return std::string("number ") + buf;
    }
    case ConstValue::Kind::String: {
      std::string s = v.text.size() > 40 ? v.text.substr(0, 37) + "..." : v.text;
      return "string \"" + s + "\"";
    }
    case ConstValue::Kind::Identifier: return "'" + v.text + "'";
    case ConstValue::Kind::List: return "a list";
    case ConstValue::Kind::Map: return "a map";
  }
  return "?";
}

bool valid_uuid(std::string_view s) {
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

class Checker {
 public:
  Checker(const std::map<const Program*, std::vector<Location>>& extends_locs, Diagnostics& d)
      : extends_locs_(extends_locs), d_(d) {}

  void run(Schema& schema) {
    for (auto& p : schema.programs) build_table(*p);
    for (auto& p : schema.programs) check_program(*p);
  }

 private:
  void build_table(const Program& p) {
    SymbolTable& t = tables_[&p];
    for (const DefinitionRef& r : p.order) {
      switch (r.kind) {
        case DefinitionRef::Kind::Typedef: t.emplace(p.typedefs[r.index].name, &p.typedefs[r.index]); break;
        case DefinitionRef::Kind::Enum: t.emplace(p.enums[r.index].name, &p.enums[r.index]); break;
        case DefinitionRef::Kind::Senum: t.emplace(p.senums[r.index].name, &p.senums[r.index]); break;
        case DefinitionRef::Kind::Const: t.emplace(p.consts[r.index].name, &p.consts[r.index]); break;
        case DefinitionRef::Kind::Struct: t.emplace(p.structs[r.index].name, &p.structs[r.index]); break;
        case DefinitionRef::Kind::Service: t.emplace(p.services[r.index].name, &p.services[r.index]); break;
      }
    }
  }

  const Symbol* lookup(const Program& p, std::string_view name) const {
    auto t = tables_.find(&p);
    if (t == tables_.end()) return nullptr;
    auto it = t->second.find(name);
    return it == t->second.end() ? nullptr : &it->second;
  }

  static const Program* find_include(const Program& p, std::string_view prefix) {
    for (const Program* inc : p.included)
      if (inc && inc->name == prefix) return inc;
    return nullptr;
  }

  // "Name" or "file.Name". On failure returns null and says why (`kinds` names what was sought).
  const Symbol* find_named(const Program& p, const std::string& name, const char* kinds, const Program*& where,
                           std::string& why) const {
    std::size_t dot = name.find('.');
    if (dot == std::string::npos) {
      where = &p;
      const Symbol* s = lookup(p, name);
      if (!s) why = std::string("no ") + kinds + " named '" + name + "' in " + p.path;
      return s;
    }
    std::string prefix = name.substr(0, dot), rest = name.substr(dot + 1);
    const Program* inc = find_include(p, prefix);
    if (!inc) {
      why = "'" + prefix + "' is not the name of an included file";
      return nullptr;
    }
    where = inc;
    const Symbol* s = rest.find('.') == std::string::npos ? lookup(*inc, rest) : nullptr;
    if (!s) why = std::string("no ") + kinds + " named '" + rest + "' in " + inc->path;
    return s;
  }

  void resolve_type(Type& t, const Program& p) {
    switch (t.kind) {
      case Type::Kind::Base: return;
      case Type::Kind::List:
      case Type::Kind::Set: resolve_type(*t.elem, p); return;
      case Type::Kind::Map:
        resolve_type(*t.elem, p);
        resolve_type(*t.value, p);
        return;
      case Type::Kind::Named: break;
    }
    const Program* where = nullptr;
    std::string why;
    const Symbol* s = find_named(p, t.name, "struct, union, exception, enum, senum or typedef", where, why);
    if (!s) {
      d_.error(t.loc, "unknown type '" + t.name + "' (" + why + ")");
      return;
    }
    if (auto* x = std::get_if<const Typedef*>(s)) t.target = *x;
    else if (auto* e = std::get_if<const Enum*>(s)) t.target = *e;
    else if (auto* se = std::get_if<const Senum*>(s)) t.target = *se;
    else if (auto* st = std::get_if<const Struct*>(s)) t.target = *st;
    else {
      d_.error(t.loc, "expected a type but '" + t.name + "' is " + symbol_kind(*s));
      return;
    }
    t.target_program = where;
  }

  // Longest chain of typedefs a type may go through (check_typedef_cycles reports longer ones).
  static constexpr std::size_t max_typedef_chain = 255;

  // Follow typedefs; null when unresolved, cyclic or too long (already reported).
  static const Type* true_type(const Type& t) {
    const Type* cur = &t;
    for (std::size_t hops = 0; hops <= max_typedef_chain; ++hops) {
      if (cur->kind != Type::Kind::Named) return cur;
      if (std::holds_alternative<std::monostate>(cur->target)) return nullptr;
      auto* td = std::get_if<const Typedef*>(&cur->target);
      if (!td) return cur;
      cur = (*td)->type.get();
    }
    return nullptr;
  }

  void check_program(Program& p) {
    for (Typedef& t : p.typedefs) resolve_type(*t.type, p);
    for (Struct& s : p.structs)
      for (Field& f : s.fields) resolve_type(*f.type, p);
    for (Const& c : p.consts) resolve_type(*c.type, p);
    auto ext = extends_locs_.find(&p);
    for (std::size_t i = 0; i < p.services.size(); ++i) {
      Service& s = p.services[i];
      if (!s.extends.empty()) {
        Location at = ext != extends_locs_.end() && i < ext->second.size() ? ext->second[i] : s.loc;
        resolve_extends(s, p, at);
      }
      for (Function& f : s.functions) {
        resolve_type(*f.return_type, p);
        for (Field& a : f.args) resolve_type(*a.type, p);
        for (Field& x : f.throws) resolve_type(*x.type, p);
      }
    }
    check_typedef_cycles(p);
    check_service_cycles(p);
    for (const Service& s : p.services)
      for (const Function& f : s.functions)
        for (const Field& x : f.throws) check_throws(x, s, f);
    // A default on a `throws` field would make every result carry that exception (the
    // result struct starts with it set): it is dropped, with a warning.
    for (Service& s : p.services)
      for (Function& fn : s.functions)
        for (Field& x : fn.throws)
          if (x.default_value) {
            d_.warning(x.default_value->loc, "default value of '" + x.name + "' in the throws list of function " + s.name +
                                                 "." + fn.name + " is ignored: an exception is set only when thrown");
            x.default_value.reset();
          }
    // Values: first normalize every one (Apache's lenient forms), then check them.
    for (int pass = 0; pass < 2; ++pass) {
      for (Const& c : p.consts) value(pass, *c.type, c.value, p, "const '" + c.name + "'", &c);
      for (Struct& s : p.structs)
        for (Field& f : s.fields)
          if (f.default_value)
            value(pass, *f.type, *f.default_value, p,
                  "default value of field '" + f.name + "' in " + struct_kind(s) + " " + s.name);
      for (Service& s : p.services)
        for (Function& fn : s.functions)
          for (Field& a : fn.args)
            if (a.default_value)
              value(pass, *a.type, *a.default_value, p,
                    "default value of argument '" + a.name + "' of function " + s.name + "." + fn.name);
    }
  }

  void value(int pass, const Type& type, ConstValue& v, const Program& p, const std::string& ctx,
             const Const* self = nullptr) {
    if (pass == 0)
      normalize(type, v, p, ctx);
    else
      check_top(type, v, p, ctx, self);
  }

  // Rewrite the forms Apache accepts into the plain ones: `{}` for an empty list or set, and
  // `OtherEnum.NAME` where enum E is expected and E has a value NAME (Apache looks up only the
  // part after the last '.'; a warning says so and the identifier becomes `E.NAME`).
  void normalize(const Type& type, ConstValue& v, const Program& p, const std::string& ctx) {
    const Type* tp = true_type(type);
    if (!tp) return;
    const Type& t = *tp;
    switch (t.kind) {
      case Type::Kind::Base: return;
      case Type::Kind::List:
      case Type::Kind::Set:
        if (v.kind == ConstValue::Kind::Map && v.map.empty()) v.kind = ConstValue::Kind::List;
        if (v.kind == ConstValue::Kind::List)
          for (ConstValue& e : v.list) normalize(*t.elem, e, p, ctx);
        return;
      case Type::Kind::Map:
        if (v.kind == ConstValue::Kind::List && v.list.empty()) v.kind = ConstValue::Kind::Map;
        if (v.kind == ConstValue::Kind::Map)
          for (ConstPair& kv : v.map) {
            normalize(*t.elem, kv.first, p, ctx);
            normalize(*t.value, kv.second, p, ctx);
          }
        return;
      case Type::Kind::Named: break;
    }
    if (auto* s = std::get_if<const Struct*>(&t.target)) {
      if (v.kind != ConstValue::Kind::Map) return;
      for (ConstPair& kv : v.map) {
        if (kv.first.kind != ConstValue::Kind::String) continue;
        for (const Field& f : (*s)->fields)
          if (f.name == kv.first.text) normalize(*f.type, kv.second, p, ctx);
      }
      return;
    }
    auto* e = std::get_if<const Enum*>(&t.target);
    if (!e || v.kind != ConstValue::Kind::Identifier) return;
    std::size_t dot = v.text.rfind('.');
    if (dot == std::string::npos) return;
    std::string prefix = v.text.substr(0, dot), last = v.text.substr(dot + 1);
    std::string qualified = (t.target_program && t.target_program != &p ? t.target_program->name + "." : "") + (*e)->name;
    if (prefix == qualified) return;
    for (const EnumValue& ev : (*e)->values) {
      if (ev.name != last) continue;
      d_.warning(v.loc, "'" + v.text + "' in " + ctx + " is not a value of enum " + (*e)->name + "; using " +
                            qualified + "." + last + " (Apache Thrift looks up only '" + last + "')");
      v.text = qualified + "." + last;
      return;
    }
  }

  static const char* struct_kind(const Struct& s) {
    return s.kind == Struct::Kind::Union ? "union" : s.kind == Struct::Kind::Exception ? "exception" : "struct";
  }

  void resolve_extends(Service& s, const Program& p, const Location& at) {
    const Program* where = nullptr;
    std::string why;
    const Symbol* sym = find_named(p, s.extends, "service", where, why);
    if (!sym) {
      d_.error(at, "unknown service '" + s.extends + "' after 'extends' (" + why + ")");
      return;
    }
    auto* base = std::get_if<const Service*>(sym);
    if (!base) {
      d_.error(at, "service " + s.name + " cannot extend '" + s.extends + "': expected a service but it is " +
                       symbol_kind(*sym));
      return;
    }
    s.base = *base;
    s.base_program = where;
  }

  void check_typedef_cycles(const Program& p) {
    std::set<const Typedef*> reported;
    for (const Typedef& td : p.typedefs) {
      if (reported.count(&td)) continue;
      std::vector<const Typedef*> chain{&td};
      const Type* cur = td.type.get();
      while (cur->kind == Type::Kind::Named) {
        auto* next = std::get_if<const Typedef*>(&cur->target);
        if (!next) break;
        if (*next == &td) {
          std::string path;
          for (const Typedef* x : chain) {
            path += x->name + " -> ";
            reported.insert(x);
          }
          d_.error(td.loc, "typedef '" + td.name + "' refers to itself (" + path + td.name + ")");
          break;
        }
        if (reported.count(*next) || std::find(chain.begin(), chain.end(), *next) != chain.end()) break;
        if (chain.size() == max_typedef_chain) {
          // true_type() gives up here: no constant or default of this type could be checked.
          for (const Typedef* x : chain) reported.insert(x);
          d_.error(td.loc, "typedef '" + td.name + "' goes through more than " + std::to_string(max_typedef_chain) +
                               " typedefs before reaching a type");
          break;
        }
        chain.push_back(*next);
        cur = (*next)->type.get();
      }
    }
  }

  void check_service_cycles(const Program& p) {
    std::set<const Service*> reported;
    for (const Service& s : p.services) {
      if (reported.count(&s)) continue;
      std::vector<const Service*> chain{&s};
      for (const Service* cur = s.base; cur; cur = cur->base) {
        if (cur == &s) {
          std::string path;
          for (const Service* x : chain) {
            path += x->name + " -> ";
            reported.insert(x);
          }
          d_.error(s.loc, "service '" + s.name + "' extends itself (" + path + s.name + ")");
          break;
        }
        if (std::find(chain.begin(), chain.end(), cur) != chain.end()) break;
        chain.push_back(cur);
      }
    }
  }

  void check_throws(const Field& x, const Service& s, const Function& f) {
    const Type* t = true_type(*x.type);
    if (!t) return;
    if (t->kind == Type::Kind::Named) {
      auto* st = std::get_if<const Struct*>(&t->target);
      if (st && (*st)->kind == Struct::Kind::Exception) return;
    }
    std::string what = t->kind == Type::Kind::Base ? "a base type"
                       : t->kind == Type::Kind::Named
                           ? (std::holds_alternative<const Enum*>(t->target)    ? "an enum"
                              : std::holds_alternative<const Senum*>(t->target) ? "a senum"
                                                                                 : struct_article(t))
                           : "a container";
    d_.error(x.type->loc, "'" + type_to_string(*x.type) + "' in the throws list of function " + s.name + "." + f.name +
                              " is " + what + ", expected an exception");
  }

  static std::string struct_article(const Type* t) {
    auto* st = std::get_if<const Struct*>(&t->target);
    if (!st) return "not an exception";
    return (*st)->kind == Struct::Kind::Union ? "a union" : "a struct";
  }

  // ---- constant values ----------------------------------------------------------------
  void check_top(const Type& type, const ConstValue& v, const Program& p, const std::string& ctx,
                 const Const* self = nullptr) {
    cycle_ = false;
    in_progress_.clear();
    if (self) in_progress_.insert(self);
    check_value(type, v, p, ctx, true);
  }

  std::string type_desc(const Type& declared, const Type& resolved) const {
    std::string s = type_to_string(declared);
    if (&declared != &resolved) s += " (" + type_to_string(resolved) + ")";
    return s;
  }

  bool int_fits(const Type& t, std::int64_t v, std::int64_t& lo, std::int64_t& hi) const {
    switch (t.base) {
      case BaseType::I8: lo = std::numeric_limits<std::int8_t>::min(), hi = std::numeric_limits<std::int8_t>::max(); break;
      case BaseType::I16: lo = std::numeric_limits<std::int16_t>::min(), hi = std::numeric_limits<std::int16_t>::max(); break;
      case BaseType::I32: lo = std::numeric_limits<std::int32_t>::min(), hi = std::numeric_limits<std::int32_t>::max(); break;
      default: lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max(); break;
    }
    return v >= lo && v <= hi;
  }

  static bool is_integer(const Type& t) {
    return t.kind == Type::Kind::Base && (t.base == BaseType::I8 || t.base == BaseType::I16 ||
                                          t.base == BaseType::I32 || t.base == BaseType::I64);
  }

  bool check_value(const Type& type, const ConstValue& v, const Program& p, const std::string& ctx, bool report) {
    const Type* tp = true_type(type);
    if (!tp) return true;  // unresolved type: already reported
    const Type& t = *tp;
    auto mismatch = [&] {
      if (report)
        d_.error(v.loc, "type mismatch in " + ctx + ": expected " + type_desc(type, t) + " but found " + describe(v));
      return false;
    };
    if (v.kind == ConstValue::Kind::Identifier) return check_identifier(type, t, v, p, ctx, report);
    switch (t.kind) {
      case Type::Kind::Base:
        switch (t.base) {
          case BaseType::Bool:
            if (v.kind != ConstValue::Kind::Int) return mismatch();
            if (v.integer == 0 || v.integer == 1) return true;
            if (report)
              d_.error(v.loc, "integer " + std::to_string(v.integer) + " in " + ctx +
                                  " is not a bool (expected true, false, 0 or 1)");
            return false;
          case BaseType::I8:
          case BaseType::I16:
          case BaseType::I32:
          case BaseType::I64: {
            if (v.kind != ConstValue::Kind::Int) return mismatch();
            std::int64_t lo = 0, hi = 0;
            if (int_fits(t, v.integer, lo, hi)) return true;
            if (report)
              d_.error(v.loc, "integer " + std::to_string(v.integer) + " in " + ctx + " is out of range for " +
                                  type_desc(type, t) + " (expected " + std::to_string(lo) + ".." +
                                  std::to_string(hi) + ")");
            return false;
          }
          case BaseType::Double:
            return v.kind == ConstValue::Kind::Int || v.kind == ConstValue::Kind::Double ? true : mismatch();
          case BaseType::String:
          case BaseType::Binary: return v.kind == ConstValue::Kind::String ? true : mismatch();
          case BaseType::Uuid:
            if (v.kind != ConstValue::Kind::String) return mismatch();
            if (valid_uuid(v.text)) return true;
            if (report)
              d_.error(v.loc, "invalid uuid " + describe(v) + " in " + ctx +
                                  " (expected 8-4-4-4-12 hex digits, optionally in braces)");
            return false;
          case BaseType::Void: return mismatch();
        }
        return mismatch();
      case Type::Kind::List:
      case Type::Kind::Set: {
        if (v.kind != ConstValue::Kind::List) return mismatch();
        bool ok = true;
        for (const ConstValue& e : v.list) ok = check_value(*t.elem, e, p, ctx, report) && ok;
        return ok;
      }
      case Type::Kind::Map: {
        if (v.kind != ConstValue::Kind::Map) return mismatch();
        bool ok = true;
        for (const auto& [k, val] : v.map) {
          ok = check_value(*t.elem, k, p, ctx, report) && ok;
          ok = check_value(*t.value, val, p, ctx, report) && ok;
        }
        return ok;
      }
      case Type::Kind::Named: break;
    }
    if (auto* e = std::get_if<const Enum*>(&t.target)) {
      if (v.kind != ConstValue::Kind::Int) return mismatch();
      for (const EnumValue& ev : (*e)->values)
        if (ev.value == v.integer) return true;
      if (report)
        d_.error(v.loc, "integer " + std::to_string(v.integer) + " in " + ctx + " is not a value of enum " +
                            (*e)->name);
      return false;
    }
    if (std::holds_alternative<const Senum*>(t.target))
      return v.kind == ConstValue::Kind::String ? true : mismatch();
    if (auto* s = std::get_if<const Struct*>(&t.target)) {
      if (v.kind != ConstValue::Kind::Map) return mismatch();
      bool ok = true;
      for (const auto& [k, val] : v.map) {
        if (k.kind != ConstValue::Kind::String) {
          if (report)
            d_.error(k.loc, "expected a field name in quotes as key for " + std::string(struct_kind(**s)) + " " +
                                (*s)->name + " in " + ctx + " but found " + describe(k));
          ok = false;
          continue;
        }
        const Field* field = nullptr;
        for (const Field& f : (*s)->fields)
          if (f.name == k.text) field = &f;
        if (!field) {
          if (report)
            d_.error(k.loc, "unknown field '" + k.text + "' for " + struct_kind(**s) + " " + (*s)->name + " in " +
                                ctx);
          ok = false;
          continue;
        }
        ok = check_value(*field->type, val, p, ctx, report) && ok;
      }
      return ok;
    }
    return true;
  }

  struct IdentTarget {
    const Enum* en = nullptr;
    const EnumValue* value = nullptr;
    const Const* constant = nullptr;
    const Program* program = nullptr;
  };

  // Enum.VALUE, CONST, file.CONST, file.Enum.VALUE. False (with `why`) when not found.
  bool resolve_identifier(const std::string& name, const Program& p, IdentTarget& out, std::string& why) const {
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
      std::size_t dot = name.find('.', start);
      parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    auto enum_value = [&](const Program& prog, const std::string& en, const std::string& val) {
      const Symbol* s = lookup(prog, en);
      auto* e = s ? std::get_if<const Enum*>(s) : nullptr;
      if (!e) return false;
      out.en = *e;
      for (const EnumValue& ev : (*e)->values)
        if (ev.name == val) out.value = &ev;
      if (!out.value) why = "enum " + (*e)->name + " has no value named '" + val + "'";
      return out.value != nullptr;
    };
    auto constant = [&](const Program& prog, const std::string& c) {
      const Symbol* s = lookup(prog, c);
      auto* k = s ? std::get_if<const Const*>(s) : nullptr;
      if (!k) return false;
      out.constant = *k;
      out.program = &prog;
      return true;
    };
    const char* expected = "expected a constant, or an enum value written as Enum.VALUE";
    if (parts.size() == 1) {
      if (constant(p, parts[0])) return true;
      const Symbol* s = lookup(p, parts[0]);
      why = s ? "'" + parts[0] + "' is " + symbol_kind(*s) + "; " + expected : expected;
      return false;
    }
    if (parts.size() == 2) {
      if (enum_value(p, parts[0], parts[1])) return true;
      if (out.en) return false;
      if (const Program* inc = find_include(p, parts[0])) {
        if (constant(*inc, parts[1])) return true;
        why = "no constant named '" + parts[1] + "' in " + inc->path;
        return false;
      }
      why = "'" + parts[0] + "' is neither an enum nor an included file; " + expected;
      return false;
    }
    if (parts.size() == 3) {
      if (const Program* inc = find_include(p, parts[0])) {
        if (enum_value(*inc, parts[1], parts[2])) return true;
        if (!out.en) why = "no enum named '" + parts[1] + "' in " + inc->path;
        return false;
      }
      why = "'" + parts[0] + "' is not the name of an included file";
      return false;
    }
    why = expected;
    return false;
  }

  bool check_identifier(const Type& declared, const Type& t, const ConstValue& v, const Program& p,
                        const std::string& ctx, bool report) {
    IdentTarget target;
    std::string why;
    if (!resolve_identifier(v.text, p, target, why)) {
      if (report) {
        if (target.en) {
          d_.error(v.loc, "unknown enum value '" + v.text + "' in " + ctx + " (" + why + ")");
        } else {
          // A bare enum value name: say how to write it.
          auto* e = t.kind == Type::Kind::Named ? std::get_if<const Enum*>(&t.target) : nullptr;
          if (e && v.text.find('.') == std::string::npos)
            for (const EnumValue& ev : (*e)->values)
              if (ev.name == v.text) why = "write it as " + (*e)->name + "." + ev.name;
          d_.error(v.loc, "unknown identifier '" + v.text + "' in " + ctx + " (" + why + ")");
        }
      }
      return false;
    }
    // Record what the name refers to, for the generator and the runtime codec. The schema
    // is ours to annotate (check_schema takes it non-const); values arrive by const paths.
    auto& resolved = const_cast<ConstValue&>(v);
    resolved.enum_value = target.value;
    resolved.constant = target.constant;
    resolved.constant_program = target.constant ? target.program : nullptr;
    if (target.value) {
      if (t.kind == Type::Kind::Named) {
        auto* e = std::get_if<const Enum*>(&t.target);
        if (e && *e == target.en) return true;
      } else if (is_integer(t)) {
        std::int64_t lo = 0, hi = 0;
        if (int_fits(t, target.value->value, lo, hi)) return true;
      }
      if (report)
        d_.error(v.loc, "type mismatch in " + ctx + ": expected " + type_desc(declared, t) + " but found '" + v.text +
                            "', a value of enum " + target.en->name);
      return false;
    }
    const Const* c = target.constant;
    if (in_progress_.count(c)) {
      cycle_ = true;
      if (report) d_.error(v.loc, "constant '" + v.text + "' in " + ctx + " is defined in terms of itself");
      return false;
    }
    if (in_progress_.size() > 256) {
      if (report) d_.error(v.loc, "constant '" + v.text + "' in " + ctx + " refers through more than 256 other constants");
      return false;
    }
    in_progress_.insert(c);
    bool ok = check_value(declared, c->value, *target.program, ctx, false);
    in_progress_.erase(c);
    if (!ok && report) {
      if (cycle_)
        d_.error(v.loc, "constant '" + v.text + "' in " + ctx + " is defined in terms of itself");
      else
        d_.error(v.loc, "type mismatch in " + ctx + ": expected " + type_desc(declared, t) + " but constant '" +
                            v.text + "' has type " + type_to_string(*c->type) + " and a value that does not fit");
    }
    return ok;
  }

  const std::map<const Program*, std::vector<Location>>& extends_locs_;
  Diagnostics& d_;
  std::map<const Program*, SymbolTable> tables_;
  std::set<const Const*> in_progress_;
  bool cycle_ = false;
};

}  // namespace

void check_schema(Schema& schema, const std::map<const Program*, std::vector<Location>>& extends_locs,
                  Diagnostics& diags) {
  Checker(extends_locs, diags).run(schema);
}

}  // namespace corothrift::idl::detail
