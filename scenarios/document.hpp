#pragma once
// A parsed scenario document held compactly: every node in one vector, every scalar's text in one
// buffer, lists and mappings as ranges of child indices. It replaces yaml-cpp's node graph (a
// shared_ptr and several hundred bytes per value) between the text and the schema readers, so a
// fleet file is held in a few times its size and read without an allocation per value. Nodes are
// immutable once added; an override or a template adds new nodes and a new root (the old ones stay,
// unreferenced), so a NodeRef stays valid for as long as its Document lives and is not moved, and a
// scalar's text stays where it is while nodes are added (it lives in blocks that never move).
// Private to scenarios/.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wlsim::scenarios {

class Document;

/// Where a node begins in its text, 0-based (as yaml-cpp's Mark; messages add 1).
struct TextMark {
  std::int32_t line = 0;
  std::int32_t column = 0;
};

/// A node of a Document: a cheap handle (pointer + index), valid while the Document lives.
class NodeRef {
 public:
  enum class Kind : std::uint8_t { Null, Scalar, Sequence, Map };

  NodeRef() = default;
  NodeRef(const Document* doc, std::uint32_t index) : doc_(doc), index_(index) {}

  [[nodiscard]] Kind kind() const noexcept;
  [[nodiscard]] bool is_null() const noexcept { return kind() == Kind::Null; }
  [[nodiscard]] bool is_scalar() const noexcept { return kind() == Kind::Scalar; }
  [[nodiscard]] bool is_sequence() const noexcept { return kind() == Kind::Sequence; }
  [[nodiscard]] bool is_map() const noexcept { return kind() == Kind::Map; }
  /// A scalar's text (escapes resolved); empty for the other kinds.
  [[nodiscard]] std::string_view scalar() const noexcept;
  /// A plain scalar without a tag (yaml-cpp's Tag() == "?"): the only kind a YAML reader may take
  /// for a number, a bool or null. Quoted, block and explicitly tagged scalars are not plain.
  [[nodiscard]] bool plain() const noexcept;
  [[nodiscard]] TextMark mark() const noexcept;
  /// Items of a sequence or entries of a mapping; 0 for scalars and null.
  [[nodiscard]] std::uint32_t size() const noexcept;
  /// The i-th item of a sequence.
  [[nodiscard]] NodeRef item(std::uint32_t i) const noexcept;
  /// The key and the value of a mapping's i-th entry, in the order written.
  [[nodiscard]] NodeRef key(std::uint32_t i) const noexcept;
  [[nodiscard]] NodeRef value(std::uint32_t i) const noexcept;
  /// The value of the first entry whose key is the scalar `k`; nothing if none (or not a mapping).
  [[nodiscard]] std::optional<NodeRef> find(std::string_view k) const noexcept;

  [[nodiscard]] const Document* document() const noexcept { return doc_; }
  [[nodiscard]] std::uint32_t index() const noexcept { return index_; }

 private:
  const Document* doc_ = nullptr;
  std::uint32_t index_ = 0;
};

class Document {
 public:
  using Index = std::uint32_t;

  /// A document whose root is null (what empty text parses to).
  Document();

  [[nodiscard]] NodeRef root() const noexcept { return {this, root_}; }
  /// A null node: the first one of every document (the constructor adds it), so a reader can
  /// stand it for a field that is absent.
  [[nodiscard]] NodeRef null_node() const noexcept { return {this, 0}; }
  void set_root(Index i) noexcept { root_ = i; }

  // Adding nodes. Children must already be in this document; a node may be the child of several
  // (a YAML alias refers to its anchor's node, not a copy).
  Index add_null(TextMark mark = {});
  Index add_scalar(std::string_view text, bool plain, TextMark mark = {});
  Index add_sequence(const std::vector<Index>& items, TextMark mark = {});
  /// `entries` alternate key, value, key, value, ...
  Index add_map(const std::vector<Index>& entries, TextMark mark = {});
  /// Copies `n` (of any document) and everything under it into this one; returns its new index.
  Index copy_from(NodeRef n);

  /// Bytes held, for the memory figures of the loading bench.
  [[nodiscard]] std::size_t bytes() const noexcept;

 private:
  friend class NodeRef;
  // 12 bytes: a fleet file holds a few hundred thousand of them.
  struct Node {
    NodeRef::Kind kind;
    bool plain;
    // Scalar: `count` bytes at text offset `first` (text_at); Sequence: children_[first, first +
    // count); Map: children_[first, first + 2 * count), key and value alternating.
    std::uint32_t first;
    std::uint32_t count;
  };
  /// `text` copied into the blocks; returns its offset (see text_at). Never moves after.
  std::uint32_t store(std::string_view text);
  /// The text at offset `offset`. Block k holds kFirstBlock << k bytes and begins at offset
  /// kFirstBlock * (2^k - 1), so an offset names its block without a search.
  [[nodiscard]] const char* text_at(std::uint32_t offset) const noexcept;
  void add_mark(TextMark mark);

  std::vector<Node> nodes_;
  std::vector<Index> children_;
  // marks_[i] is node i's mark; nodes past its end (all of a JSON document's) are marked {0, 0},
  // so a document without marks holds none.
  std::vector<TextMark> marks_;
  std::vector<std::unique_ptr<char[]>> blocks_;  // blocks_[k] may be empty (skipped)
  std::size_t block_ = 0;                        // the block being filled
  std::size_t block_used_ = 0;
  std::size_t block_bytes_ = 0;
  Index root_ = 0;
};

}  // namespace wlsim::scenarios
