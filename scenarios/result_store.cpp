#include "wlsim/scenarios/result_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "wlsim/engine/json.hpp"
#include "wlsim/engine/trace.hpp"

namespace wlsim::scenarios {

namespace {

constexpr const char* kFormat = "wlsim-sweep 1";

constexpr const char* kSchema = R"sql(
CREATE TABLE sweep(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE variants(variant INTEGER PRIMARY KEY, overrides TEXT NOT NULL);
CREATE TABLE runs(variant INTEGER NOT NULL, seed INTEGER NOT NULL, trace_hash TEXT NOT NULL,
                  events INTEGER NOT NULL, simulated_seconds REAL NOT NULL,
                  PRIMARY KEY (variant, seed));
CREATE TABLE metrics(variant INTEGER NOT NULL, seed INTEGER NOT NULL, position INTEGER NOT NULL,
                     workload TEXT NOT NULL, replacement TEXT NOT NULL, metric TEXT NOT NULL,
                     value REAL, PRIMARY KEY (variant, seed, position));
CREATE TABLE texts(variant INTEGER NOT NULL, seed INTEGER NOT NULL, position INTEGER NOT NULL,
                   workload TEXT NOT NULL, replacement TEXT NOT NULL, field TEXT NOT NULL,
                   text TEXT NOT NULL, PRIMARY KEY (variant, seed, position));
)sql";

// SQLite's integers are signed 64-bit: a seed above 2^63 - 1 is kept as the integer of the same
// bits, and read back to the same seed.
std::int64_t stored_seed(std::uint64_t seed) { return static_cast<std::int64_t>(seed); }
std::uint64_t read_seed(std::int64_t v) { return static_cast<std::uint64_t>(v); }

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

engine::Json overrides_json(const std::vector<Override>& overrides) {
  engine::Json j = engine::Json::object();
  for (const Override& o : overrides) j[o.path] = o.value;
  return j;
}

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct Finalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

/// A connection; every failure is a StoreError naming the file.
class Database {
 public:
  explicit Database(const std::string& path) : path_(path) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(raw);  // closed even when the open failed
    if (rc != SQLITE_OK) fail("cannot open it");
    sqlite3_busy_timeout(raw, 10'000);
    // A commit in write-ahead mode without a sync per commit survives the process being killed
    // (what a resume needs); a power cut may lose the last runs, never part of one. A sync per run
    // would cost more than a small scenario's run.
    exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  }
  [[noreturn]] void fail(const std::string& what) const {
    if (!db_) throw StoreError(path_ + ": " + what + ": out of memory");
    if (sqlite3_errcode(db_.get()) == SQLITE_NOTADB) {
      throw StoreError(path_ + ": not a wlsim result store (not an SQLite file)");
    }
    throw StoreError(path_ + ": " + what + ": " + sqlite3_errmsg(db_.get()));
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot use it");
  }
  [[nodiscard]] sqlite3* get() const { return db_.get(); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<sqlite3, CloseDb> db_;
};

/// A prepared statement; bind() counts parameters from 1 in the order they are bound.
class Statement {
 public:
  Statement(const Database& db, std::string_view sql) : db_(&db) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
      db.fail("cannot read it as a wlsim result store");
    }
    stmt_.reset(raw);
  }
  Statement& bind(std::int64_t v) {
    check(sqlite3_bind_int64(stmt_.get(), ++bound_, v));
    return *this;
  }
  Statement& bind(std::optional<double> v) {
    check(v ? sqlite3_bind_double(stmt_.get(), ++bound_, *v)
            : sqlite3_bind_null(stmt_.get(), ++bound_));
    return *this;
  }
  Statement& bind(std::string_view v) {
    check(sqlite3_bind_text(stmt_.get(), ++bound_, v.data(), static_cast<int>(v.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  /// The next row: true while there is one.
  bool step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("cannot read or write it");
  }
  /// Runs a statement that returns no row, ready to bind again. Returns SQLite's result code for
  /// a constraint (a run stored twice), throws for any other failure.
  int execute() {
    const int rc = sqlite3_step(stmt_.get());
    const int code = rc & 0xFF;
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
    bound_ = 0;
    if (rc == SQLITE_DONE || code == SQLITE_CONSTRAINT) return code;
    db_->fail("cannot write it");
  }
  [[nodiscard]] std::int64_t integer(int col) const {
    return sqlite3_column_int64(stmt_.get(), col);
  }
  [[nodiscard]] std::optional<double> real(int col) const {
    if (sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(stmt_.get(), col);
  }
  [[nodiscard]] std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_.get(), col);
    return p == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(p),
                             static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col)));
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) db_->fail("cannot write it");
  }
  const Database* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
  int bound_ = 0;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back when left without commit().
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!committed_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    db_.exec("COMMIT");
    committed_ = true;
  }

 private:
  Database& db_;
  bool committed_ = false;
};

std::string seeds_description(const std::vector<std::uint64_t>& seeds) {
  if (seeds.empty()) return "no seeds";
  return std::to_string(seeds.size()) + " seeds from " + std::to_string(seeds.front());
}

}  // namespace

std::string sweep_fingerprint(const SweepIdentity& sweep) {
  engine::Json variants = engine::Json::array();
  for (const Variant& v : sweep.variants) {
    engine::Json list = engine::Json::array();
    for (const Override& o : v.overrides) list.push_back({o.path, o.value});
    variants.push_back(std::move(list));
  }
  engine::Json base = engine::Json::array();
  for (const Override& o : sweep.base) base.push_back({o.path, o.value});
  const engine::Json j = {sweep.source_text, std::move(base), std::move(variants), sweep.seeds};
  return engine::hash_hex(fnv1a(engine::to_text(j)));
}

struct ResultStore::Impl {
  Database db;
  std::size_t variants = 0;
  std::set<std::uint64_t> seeds;
  // Prepared once the tables exist; declared after db, so finalized before it closes.
  std::optional<Statement> insert_run;
  std::optional<Statement> insert_metric;
  std::optional<Statement> insert_text;
};

ResultStore::ResultStore(const std::string& path, const SweepIdentity& sweep)
    : impl_(std::make_unique<Impl>(
          Impl{.db = Database(path),
               .variants = sweep.variants.size(),
               .seeds = std::set<std::uint64_t>(sweep.seeds.begin(), sweep.seeds.end()),
               .insert_run = {},
               .insert_metric = {},
               .insert_text = {}})) {
  Database& db = impl_->db;
  const std::string fingerprint = sweep_fingerprint(sweep);
  {
    Transaction t(db);
    std::vector<std::string> tables;
    {
      Statement list(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
      while (list.step()) tables.push_back(list.text(0));
    }
    if (tables.empty()) {
      db.exec(kSchema);
      Statement key(db, "INSERT INTO sweep(key, value) VALUES (?, ?)");
      engine::Json seeds = sweep.seeds;
      const std::vector<std::pair<std::string, std::string>> keys{
          {"format", kFormat},
          {"scenario", sweep.scenario},
          {"fingerprint", fingerprint},
          {"seeds", engine::to_text(seeds)},
          {"base", engine::to_text(overrides_json(sweep.base))}};
      for (const auto& [k, v] : keys) (void)key.bind(k).bind(v).execute();
      Statement variant(db, "INSERT INTO variants(variant, overrides) VALUES (?, ?)");
      for (std::size_t i = 0; i < sweep.variants.size(); ++i) {
        (void)variant.bind(static_cast<std::int64_t>(i))
            .bind(engine::to_text(overrides_json(sweep.variants[i].overrides)))
            .execute();
      }
    } else {
      std::map<std::string, std::string> keys;
      if (std::find(tables.begin(), tables.end(), "sweep") != tables.end()) {
        Statement read(db, "SELECT key, value FROM sweep");
        while (read.step()) keys[read.text(0)] = read.text(1);
      }
      if (keys["format"] != kFormat) {
        throw StoreError(path + ": not a wlsim result store (it has other tables)");
      }
      if (keys["fingerprint"] != fingerprint) {
        std::size_t stored_variants = 0;
        {
          Statement count(db, "SELECT count(*) FROM variants");
          if (count.step()) stored_variants = static_cast<std::size_t>(count.integer(0));
        }
        std::vector<std::uint64_t> stored_seeds;
        try {
          stored_seeds = engine::Json::parse(keys["seeds"]).get<std::vector<std::uint64_t>>();
        } catch (const engine::Json::exception&) {
          // A damaged seeds entry only makes the message say less.
        }
        throw StoreError(path + ": holds the results of another sweep (scenario '" +
                         keys["scenario"] + "', " + std::to_string(stored_variants) +
                         " variants, " + seeds_description(stored_seeds) +
                         "); use another file, or remove it to start again");
      }
    }
    t.commit();
  }
  impl_->insert_run.emplace(
      db,
      "INSERT INTO runs(variant, seed, trace_hash, events, simulated_seconds) VALUES (?, ?, ?, ?, "
      "?)");
  impl_->insert_metric.emplace(db,
                               "INSERT INTO metrics(variant, seed, position, workload, "
                               "replacement, metric, value) VALUES (?, ?, ?, ?, ?, ?, ?)");
  impl_->insert_text.emplace(db,
                             "INSERT INTO texts(variant, seed, position, workload, "
                             "replacement, field, text) VALUES (?, ?, ?, ?, ?, ?, ?)");
}

ResultStore::~ResultStore() = default;
ResultStore::ResultStore(ResultStore&&) noexcept = default;
ResultStore& ResultStore::operator=(ResultStore&&) noexcept = default;

std::set<RunKey> ResultStore::done() const {
  std::set<RunKey> out;
  Statement q(impl_->db, "SELECT variant, seed FROM runs");
  while (q.step()) out.emplace(static_cast<std::size_t>(q.integer(0)), read_seed(q.integer(1)));
  return out;
}

void ResultStore::add(const SweepRun& run) {
  Impl& s = *impl_;
  const std::string which =
      "run (variant " + std::to_string(run.variant) + ", seed " + std::to_string(run.seed) + ")";
  if (run.variant >= s.variants) {
    throw StoreError(s.db.path() + ": " + which + ": the sweep has " + std::to_string(s.variants) +
                     " variants");
  }
  if (!s.seeds.contains(run.seed)) {
    throw StoreError(s.db.path() + ": " + which + ": not a seed of the sweep");
  }
  const auto variant = static_cast<std::int64_t>(run.variant);
  const std::int64_t seed = stored_seed(run.seed);
  Transaction t(s.db);
  if (s.insert_run->bind(variant)
          .bind(seed)
          .bind(engine::hash_hex(run.trace_hash))
          .bind(static_cast<std::int64_t>(run.events))
          .bind(std::optional<double>(run.simulated_seconds))
          .execute() != SQLITE_DONE) {
    throw StoreError(s.db.path() + ": " + which + " is already stored");
  }
  std::int64_t position = 0;
  for (const MetricRow& r : run.rows.metrics) {
    (void)s.insert_metric->bind(variant)
        .bind(seed)
        .bind(position++)
        .bind(r.workload)
        .bind(r.replacement)
        .bind(r.metric)
        .bind(r.value)
        .execute();
  }
  position = 0;
  for (const TextRow& r : run.rows.texts) {
    (void)s.insert_text->bind(variant)
        .bind(seed)
        .bind(position++)
        .bind(r.workload)
        .bind(r.replacement)
        .bind(r.field)
        .bind(r.text)
        .execute();
  }
  t.commit();
}

std::vector<SweepRun> ResultStore::read() const {
  const Database& db = impl_->db;
  std::vector<SweepRun> runs;
  std::map<RunKey, std::size_t> index;
  {
    Statement q(db,
                "SELECT variant, seed, trace_hash, events, simulated_seconds FROM runs ORDER BY "
                "variant, seed");
    while (q.step()) {
      SweepRun r;
      r.variant = static_cast<std::size_t>(q.integer(0));
      r.seed = read_seed(q.integer(1));
      const std::string hash = q.text(2);
      std::from_chars(hash.data(), hash.data() + hash.size(), r.trace_hash, 16);
      r.events = static_cast<std::uint64_t>(q.integer(3));
      r.simulated_seconds = q.real(4).value_or(0);
      index[{r.variant, r.seed}] = runs.size();
      runs.push_back(std::move(r));
    }
  }
  {
    Statement q(db,
                "SELECT variant, seed, workload, replacement, metric, value FROM metrics ORDER BY "
                "variant, seed, position");
    while (q.step()) {
      const auto it = index.find({static_cast<std::size_t>(q.integer(0)), read_seed(q.integer(1))});
      if (it == index.end()) continue;
      runs[it->second].rows.metrics.push_back({q.text(2), q.text(3), q.text(4), q.real(5)});
    }
  }
  {
    Statement q(db,
                "SELECT variant, seed, workload, replacement, field, text FROM texts ORDER BY "
                "variant, seed, position");
    while (q.step()) {
      const auto it = index.find({static_cast<std::size_t>(q.integer(0)), read_seed(q.integer(1))});
      if (it == index.end()) continue;
      runs[it->second].rows.texts.push_back({q.text(2), q.text(3), q.text(4), q.text(5)});
    }
  }
  // SQL orders the seeds as signed integers; a seed's own order is unsigned.
  std::sort(runs.begin(), runs.end(), [](const SweepRun& a, const SweepRun& b) {
    return std::tie(a.variant, a.seed) < std::tie(b.variant, b.seed);
  });
  return runs;
}

}  // namespace wlsim::scenarios
