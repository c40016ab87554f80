// Errors that cross the JNI boundary.
//
// Contract: every facade function either succeeds or throws trident::Error. JavaCPP turns the
// exception into a Java RuntimeException whose message is what(); the Java side
// (io.trident.internal.nativelib.NativeErrors) maps the "[KIND] " prefix to a typed
// TridentException subclass. Nothing else is allowed to escape a facade function: each one wraps
// its body in TRIDENT_GUARD, which converts std::bad_alloc, faiss::FaissException and any other
// std::exception into trident::Error.
#pragma once

#include <stdexcept>
#include <string>

namespace trident {

// Kinds of failure the Java side maps to exception types. Keep in sync with
// io.trident.internal.nativelib.NativeErrors.
enum class ErrorKind {
  kInvalidArgument,   // bad spec, bad shape, k <= 0 ...       -> InvalidArgumentException
  kDimensionMismatch, // vector dimension differs from index   -> DimensionMismatchException
  kUnknownId,         // remove/get of an id not in the index  -> UnknownIdException
  kCorruptFile,       // unreadable, truncated or foreign file -> CorruptIndexException
  kIo,                // open/read/write/fsync failed          -> StorageIoException
  kUnsupported,       // operation the index type cannot do    -> UnsupportedOperationException
  kOutOfMemory,       // allocation failed                     -> TridentOutOfMemoryException
  kInternal,          // anything else (a bug)                 -> TridentException
};

const char* error_kind_tag(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message);
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Rethrows the in-flight exception as trident::Error (call only inside a catch block).
[[noreturn]] void rethrow_as_error(const char* operation);

}  // namespace trident

// Wrap a facade function body: TRIDENT_GUARD("add", { ... });
#define TRIDENT_GUARD(operation, ...)          \
  try {                                        \
    __VA_ARGS__                                \
  } catch (...) {                              \
    ::trident::rethrow_as_error(operation);    \
  }

#define TRIDENT_CHECK(cond, kind, msg)                                   \
  do {                                                                   \
    if (!(cond)) throw ::trident::Error((kind), (msg));                  \
  } while (0)
