// The RPC example's IDL: examples/meson.build turns it into phonebook_thrift.hpp and
// phonebook_rpc.hpp with `corothrift-gen --rpc`.
namespace cpp phonebook

struct Entry {
  1: string name,
  2: string phone,
}

exception NotFound {
  1: string name,
}

service Phonebook {
  /** Store an entry (replacing one with the same name); returns how many there are. */
  i32 add(1: Entry entry),
  /** The entry of `name`, or NotFound. */
  Entry find(1: string name) throws (1: NotFound not_found),
  /** A note for the server's log; the client does not wait for an answer. */
  oneway void note(1: string text),
}
