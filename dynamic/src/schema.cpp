// DynamicSchema: compile an idl::Schema into codec plans (see schema.hpp).
#include "corothrift/dynamic/schema.hpp"

#include "corothrift/idl/struct_layout.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace corothrift::dynamic {

using namespace corothrift::idl;

bool TypeNode::int_elements() const noexcept {
  if (!elem) return false;
  switch (elem->kind) {
    case Kind::Bool: case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum: return true;
    default: return false;
  }
}

const char* tag_name(Value::Tag t) noexcept {
  switch (t) {
    case Value::Tag::Null: return "null";
    case Value::Tag::Bool: return "bool";
    case Value::Tag::Int: return "integer";
    case Value::Tag::Double: return "double";
    case Value::Tag::Bytes: return "string";
    case Value::Tag::Uuid: return "uuid";
    case Value::Tag::List: return "list";
    case Value::Tag::Map: return "map";
    case Value::Tag::Struct: return "struct";
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) noexcept {
  if (a.tag != b.tag) return false;
  switch (a.tag) {
    case Value::Tag::Null: return true;
    case Value::Tag::Bool: return a.b == b.b;
    case Value::Tag::Int: return a.i == b.i;
    case Value::Tag::Double: return a.d == b.d;
    case Value::Tag::Bytes: case Value::Tag::Uuid: return a.bytes == b.bytes;
    case Value::Tag::List: case Value::Tag::Map: case Value::Tag::Struct:
      return a.items == b.items && a.ints == b.ints && a.reals == b.reals;
  }
  return false;
}

Value StructPlan::make() const {
  Value v;
  v.tag = Value::Tag::Struct;
  v.items.reserve(fields.size());
  for (const FieldPlan& f : fields) v.items.push_back(f.initial);
  return v;
}

namespace {
std::string where(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}
}  // namespace

struct DynamicSchema::Builder {
  DynamicSchema& out;
  const idl::Schema& schema;
  std::map<const Struct*, StructPlan*> plans;
  std::map<const Struct*, const Program*> owner;
  std::map<const void*, const TypeNode*> named;  // Enum*/Senum*/Struct* -> node
  std::map<const Program*, StructLayout> layouts;  // as corothrift-gen lays out each file
  std::set<const Field*> refs;  // fields held by reference (they start empty, default or not)
  std::map<const StructPlan*, int> init_state;  // 1 computing, 2 done

  TypeNode* node() { return &out.types_.emplace_back(); }

  const TypeNode* base(BaseType b) {
    switch (b) {
      case BaseType::Bool: return out.bases_[0];
      case BaseType::I8: return out.bases_[1];
      case BaseType::I16: return out.bases_[2];
      case BaseType::I32: return out.bases_[3];
      case BaseType::I64: return out.bases_[4];
      case BaseType::Double: return out.bases_[5];
      case BaseType::String: return out.bases_[6];
      case BaseType::Binary: return out.bases_[7];
      case BaseType::Uuid: return out.bases_[8];
      case BaseType::Void: break;
    }
    return nullptr;
  }

  std::string display(const Program* p, const std::string& name) const {
    return p == schema.root ? name : p->name + "." + name;
  }

  const TypeNode* convert(const Type& t) {
    const Type& r = resolve_typedefs(t);
    switch (r.kind) {
      case Type::Kind::Base: return base(r.base);
      case Type::Kind::List:
      case Type::Kind::Set:
      case Type::Kind::Map: {
        TypeNode* n = node();
        n->kind = r.kind == Type::Kind::List ? Kind::List : r.kind == Type::Kind::Set ? Kind::Set : Kind::Map;
        n->wire = r.kind == Type::Kind::List ? TType::List : r.kind == Type::Kind::Set ? TType::Set : TType::Map;
        n->elem = convert(*r.elem);
        if (r.kind == Type::Kind::Map) n->value = convert(*r.value);
        if (!n->elem || (r.kind == Type::Kind::Map && !n->value)) throw SchemaError(where(r.loc) + ": a container of void");
        n->name = r.kind == Type::Kind::List ? "list<" + n->elem->name + ">"
                  : r.kind == Type::Kind::Set ? "set<" + n->elem->name + ">"
                                              : "map<" + n->elem->name + "," + n->value->name + ">";
        return n;
      }
      case Type::Kind::Named: {
        if (auto* e = std::get_if<const Enum*>(&r.target)) {
          auto [it, fresh] = named.try_emplace(*e, nullptr);
          if (fresh) {
            TypeNode* n = node();
            n->kind = Kind::Enum;
            n->wire = TType::I32;
            n->en = *e;
            n->name = display(r.target_program, (*e)->name);
            it->second = n;
          }
          return it->second;
        }
        if (auto* s = std::get_if<const Senum*>(&r.target)) {
          (void)s;
          return base(BaseType::String);
        }
        if (auto* s = std::get_if<const Struct*>(&r.target)) {
          auto [it, fresh] = named.try_emplace(*s, nullptr);
          if (fresh) {
            TypeNode* n = node();
            n->kind = Kind::Struct;
            n->wire = TType::Struct;
            n->st = plans.at(*s);
            n->name = n->st->name;
            it->second = n;
          }
          return it->second;
        }
        throw SchemaError(where(r.loc) + ": type '" + r.name + "' is not resolved");
      }
    }
    return nullptr;
  }

  // Which struct fields corothrift-gen holds by reference (declared so, or breaking a
  // cycle); `s` is null for service argument/result structs, which are never in a cycle.
  bool is_ref(const Struct* s, const Field& f) const {
    if (!s) return declares_reference(f);
    return layouts.at(owner.at(s)).by_reference(*s, f);
  }

  void fill_fields(StructPlan& p, const Struct* s, const std::vector<Field>& fields, bool all_optional,
                   bool args_struct) {
    for (const Field& f : fields) {
      FieldPlan fp;
      fp.id = f.id;
      fp.name = f.name;
      fp.type = convert(*f.type);
      if (!fp.type) throw SchemaError(where(f.loc) + ": field '" + f.name + "' of type void");
      fp.req = args_struct && f.req == Requiredness::Optional ? Requiredness::Default : f.req;
      if (all_optional) fp.req = Requiredness::Optional;
      fp.optional = fp.req == Requiredness::Optional || p.kind == Struct::Kind::Union || is_ref(s, f);
      if (is_ref(s, f)) refs.insert(&f);
      fp.qualified = p.name + "." + f.name;
      fp.source = &f;
      p.fields.push_back(std::move(fp));
    }
  }

  void index(StructPlan& p) {
    std::stable_sort(p.fields.begin(), p.fields.end(), [](const FieldPlan& a, const FieldPlan& b) { return a.id < b.id; });
    p.too_many = p.name + ": more than one field set";
    for (const FieldPlan& f : p.fields)
      p.ops.push_back({f.type, f.id, f.type->wire, f.type->kind, f.req == Requiredness::Required});
    if (p.fields.empty()) return;
    int lo = p.fields.front().id, hi = p.fields.back().id;
    if (hi - lo < 256) {
      p.min_id_ = static_cast<std::int16_t>(lo);
      p.dense_.assign(static_cast<std::size_t>(hi - lo + 1), -1);
      for (std::size_t k = 0; k < p.fields.size(); ++k) {
        int& slot = p.dense_[static_cast<std::size_t>(p.fields[k].id - lo)];
        if (slot < 0) slot = static_cast<int>(k);
      }
    }
  }

  // ---- initial values (defaults, zero values) ------------------------------------------
  Value zero(const TypeNode& t) {
    Value v;
    switch (t.kind) {
      case Kind::Bool: v.tag = Value::Tag::Bool; break;
      case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum: v.tag = Value::Tag::Int; break;
      case Kind::Double: v.tag = Value::Tag::Double; break;
      case Kind::String: case Kind::Binary: v.tag = Value::Tag::Bytes; break;
      case Kind::Uuid: v.tag = Value::Tag::Uuid; v.bytes.assign(16, '\0'); break;
      case Kind::List: case Kind::Set: v.tag = Value::Tag::List; break;
      case Kind::Map: v.tag = Value::Tag::Map; break;
      case Kind::Struct:
        init(*const_cast<StructPlan*>(t.st));
        v = t.st->make();
        break;
    }
    return v;
  }

  // The value of constant `c` as type `t`; identifiers as the loader resolved them.
  Value constant(const ConstValue& c, const TypeNode& t, int depth = 0) {
    // (the checker allows chains of 256 constants, the parser nesting 200 deep)
    if (depth > 512) throw SchemaError(where(c.loc) + ": constant nested or chained more than 512 deep");
    if (c.kind == ConstValue::Kind::Identifier) {
      if (c.enum_value) {
        Value v = zero(t);
        v.i = c.enum_value->value;
        return v;
      }
      if (c.constant) return constant(c.constant->value, t, depth + 1);
      throw SchemaError(where(c.loc) + ": identifier '" + c.text + "' was not resolved by the loader");
    }
    Value v = zero(t);
    switch (t.kind) {
      case Kind::Bool: v.b = c.integer != 0; break;
      case Kind::I8: case Kind::I16: case Kind::I32: case Kind::I64: case Kind::Enum: v.i = c.integer; break;
      case Kind::Double: v.d = c.kind == ConstValue::Kind::Int ? static_cast<double>(c.integer) : c.real; break;
      case Kind::String: case Kind::Binary: v.bytes = c.text; break;
      case Kind::Uuid: {
        std::string hex;
        for (char ch : c.text)
          if (std::isxdigit(static_cast<unsigned char>(ch))) hex += ch;
        for (std::size_t k = 0; k + 1 < hex.size() && k < 32; k += 2)
          v.bytes[k / 2] = static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16));
        break;
      }
      case Kind::List: case Kind::Set:
        for (const ConstValue& e : c.list) {
          Value x = constant(e, *t.elem, depth + 1);
          if (t.int_elements()) v.ints.push_back(x.tag == Value::Tag::Bool ? x.b : x.i);
          else if (t.real_elements()) v.reals.push_back(x.d);
          else v.items.push_back(std::move(x));
        }
        break;
      case Kind::Map:
        for (const ConstPair& kv : c.map) {
          v.items.push_back(constant(kv.first, *t.elem, depth + 1));
          v.items.push_back(constant(kv.second, *t.value, depth + 1));
        }
        break;
      case Kind::Struct:
        for (const ConstPair& kv : c.map) {
          int k = t.st->find(std::string_view(kv.first.text));
          if (k < 0) continue;
          const FieldPlan& f = t.st->fields[static_cast<std::size_t>(k)];
          v.items[static_cast<std::size_t>(k)] = constant(kv.second, *f.type, depth + 1);
        }
        break;
    }
    return v;
  }

  void init(StructPlan& p) {
    int& st = init_state[&p];
    if (st != 0) return;  // done, or in progress (a cycle: the fields there are references)
    st = 1;
    for (FieldPlan& f : p.fields) {
      // an optional field (or union member) with a default starts set to it, as a fresh
      // generated object does; without one, or held by reference, it starts unset
      if (f.optional && (!f.source || !f.source->default_value || refs.count(f.source))) continue;
      if (f.source && f.source->default_value) f.initial = constant(*f.source->default_value, *f.type);
      else f.initial = zero(*f.type);
    }
    st = 2;
  }

  void run() {
    const BaseType bases[] = {BaseType::Bool, BaseType::I8, BaseType::I16, BaseType::I32, BaseType::I64,
                              BaseType::Double, BaseType::String, BaseType::Binary, BaseType::Uuid};
    const Kind kinds[] = {Kind::Bool, Kind::I8, Kind::I16, Kind::I32, Kind::I64, Kind::Double, Kind::String, Kind::Binary, Kind::Uuid};
    const TType wires[] = {TType::Bool, TType::Byte, TType::I16, TType::I32, TType::I64, TType::Double, TType::String, TType::String, TType::Uuid};
    const char* names[] = {"bool", "byte", "i16", "i32", "i64", "double", "string", "binary", "uuid"};
    (void)bases;
    for (int k = 0; k < 9; ++k) {
      TypeNode* n = node();
      n->kind = kinds[k];
      n->wire = wires[k];
      n->name = names[k];
      out.bases_[k] = n;
      out.named_types_.emplace(names[k], n);
    }
    // every struct gets its plan first (types refer to plans by pointer)
    for (const auto& prog : schema.programs) {
      layouts.emplace(prog.get(), StructLayout(*prog));
      for (const Struct& s : prog->structs) {
        StructPlan& p = out.plans_.emplace_back();
        p.name = display(prog.get(), s.name);
        p.kind = s.kind;
        plans[&s] = &p;
        owner[&s] = prog.get();
      }
    }
    for (const auto& prog : schema.programs)
      for (const Struct& s : prog->structs) {
        StructPlan& p = *plans[&s];
        fill_fields(p, &s, s.fields, false, false);
        index(p);
        out.listed_.push_back(&p);
      }
    // services: argument and result structs like corothrift-gen's
    std::map<const Service*, ServicePlan*> svcs;
    for (const auto& prog : schema.programs)
      for (const Service& sv : prog->services) {
        ServicePlan& sp = out.services_.emplace_back();
        sp.name = display(prog.get(), sv.name);
        svcs[&sv] = &sp;
        for (const Function& fn : sv.functions) {
          StructPlan& a = out.plans_.emplace_back();
          a.name = display(prog.get(), sv.name + "_" + fn.name + "_args");
          fill_fields(a, nullptr, fn.args, false, true);
          index(a);
          StructPlan& r = out.plans_.emplace_back();
          r.name = display(prog.get(), sv.name + "_" + fn.name + "_result");
          bool is_void = fn.return_type->kind == Type::Kind::Base && fn.return_type->base == BaseType::Void;
          if (!is_void) {
            FieldPlan fp;
            fp.id = 0;
            fp.name = "success";
            fp.type = convert(*fn.return_type);
            fp.req = Requiredness::Optional;
            fp.optional = true;
            fp.qualified = r.name + ".success";
            r.fields.push_back(std::move(fp));
          }
          fill_fields(r, nullptr, fn.throws, true, false);
          index(r);
          FunctionPlan f;
          f.name = fn.name;
          f.service = sp.name;
          f.oneway = fn.oneway;
          f.args = &a;
          f.result = &r;
          sp.functions.push_back(std::move(f));
        }
      }
    for (auto& [sv, sp] : svcs)  // inherited methods
      for (const Service* b = sv->base; b; b = b->base)
        for (const FunctionPlan& f : svcs.at(b)->functions)
          if (!sp->find(f.name)) sp->functions.push_back(f);
    for (StructPlan& p : out.plans_) init(p);
    // names: the root file's unqualified, every file's "file.Name", others' unqualified when free
    for (StructPlan& p : out.plans_) out.by_name_.emplace(p.name, &p);
    for (const auto& prog : schema.programs)
      for (const Struct& s : prog->structs) {
        out.by_name_.emplace(prog->name + "." + s.name, plans[&s]);
        out.by_name_.emplace(s.name, plans[&s]);
      }
    for (const auto& prog : schema.programs) {
      for (const Struct& s : prog->structs) {
        Type t;
        t.kind = Type::Kind::Named;
        t.target = &s;
        out.named_types_.emplace(display(prog.get(), s.name), convert(t));
      }
      for (const Enum& e : prog->enums) {
        Type t;
        t.kind = Type::Kind::Named;
        t.target = &e;
        t.target_program = prog.get();
        out.named_types_.emplace(display(prog.get(), e.name), convert(t));
      }
      for (const Typedef& td : prog->typedefs)
        if (const TypeNode* n = convert(*td.type)) out.named_types_.emplace(display(prog.get(), td.name), n);
    }
    for (ServicePlan& sp : out.services_) out.services_list_.push_back(&sp);
  }
};

DynamicSchema::DynamicSchema(const idl::Schema& schema) {
  Builder b{*this, schema, {}, {}, {}, {}, {}, {}};
  b.run();
}

const StructPlan* DynamicSchema::find_struct(std::string_view name) const noexcept {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  const TypeNode* t = find_type(name);  // a typedef of a struct
  return t && t->kind == Kind::Struct ? t->st : nullptr;
}

const StructPlan& DynamicSchema::struct_plan(std::string_view name) const {
  if (const StructPlan* p = find_struct(name)) return *p;
  std::string known;
  for (const StructPlan* p : listed_) known += (known.empty() ? "" : ", ") + p->name;
  throw SchemaError("no struct, union or exception named '" + std::string(name) + "' in the IDL" +
                    (known.empty() ? std::string(" (it defines none)") : " (it has: " + known + ")"));
}

const TypeNode* DynamicSchema::find_type(std::string_view name) const noexcept {
  auto it = named_types_.find(name);
  return it == named_types_.end() ? nullptr : it->second;
}

const ServicePlan* DynamicSchema::find_service(std::string_view name) const noexcept {
  for (const ServicePlan& s : services_)
    if (s.name == name) return &s;
  for (const ServicePlan& s : services_) {  // "file.Service" written without the file
    auto dot = s.name.rfind('.');
    if (dot != std::string::npos && std::string_view(s.name).substr(dot + 1) == name) return &s;
  }
  return nullptr;
}

const FunctionPlan* DynamicSchema::find_function_any(std::string_view method) const noexcept {
  for (const ServicePlan& s : services_)
    if (const FunctionPlan* f = s.find(method)) return f;
  return nullptr;
}

const FunctionPlan& DynamicSchema::function(std::string_view qualified) const {
  auto sep = qualified.find_last_of(".:");
  if (sep == std::string_view::npos)
    throw SchemaError("'" + std::string(qualified) + "': name the method as Service.method");
  std::string_view svc = qualified.substr(0, sep), method = qualified.substr(sep + 1);
  const ServicePlan* s = find_service(svc);
  if (!s) {
    std::string known;
    for (const ServicePlan& x : services_) known += (known.empty() ? "" : ", ") + x.name;
    throw SchemaError("no service named '" + std::string(svc) + "' in the IDL" +
                      (known.empty() ? std::string(" (it defines none)") : " (it has: " + known + ")"));
  }
  if (const FunctionPlan* f = s->find(method)) return *f;
  std::string known;
  for (const FunctionPlan& f : s->functions) known += (known.empty() ? "" : ", ") + f.name;
  throw SchemaError("service " + s->name + " has no method '" + std::string(method) + "' (it has: " + known + ")");
}

}  // namespace corothrift::dynamic
