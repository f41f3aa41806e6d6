#include "corothrift/idl/struct_layout.hpp"

#include <functional>
#include <map>

namespace corothrift::idl {

bool declares_reference(const Field& f) {
  if (f.reference) return true;
  const Annotation* a = find_annotation(f.annotations, "cpp.ref");
  return a && a->value != "false";
}

StructLayout::StructLayout(const Program& program) : program_(&program) {
  std::map<const Struct*, int> state;  // 0 new, 1 visiting, 2 done
  std::function<void(const Struct&)> visit = [&](const Struct& s) {
    state[&s] = 1;
    for (const Field& f : s.fields) {
      if (declares_reference(f)) continue;  // held by pointer already: closes no cycle
      const Struct* dep = as_struct(*f.type);
      if (!dep || !defines(*dep)) continue;
      if (state[dep] == 1) {
        cycle_breaks_.insert({&s, &f});
        continue;
      }
      if (state[dep] == 0) visit(*dep);
    }
    state[&s] = 2;
    order_.push_back(&s);
  };
  for (const Struct& s : program.structs)
    if (state[&s] == 0) visit(s);
}

bool StructLayout::by_reference(const Struct& s, const Field& f) const {
  return declares_reference(f) || cycle_breaks_.count({&s, &f}) > 0;
}

bool StructLayout::defines(const Struct& s) const {
  for (const Struct& x : program_->structs)
    if (&x == &s) return true;
  return false;
}

}  // namespace corothrift::idl
