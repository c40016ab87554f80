#include "trident/error.h"

#include <faiss/impl/FaissException.h>

#include <new>

namespace trident {

const char* error_kind_tag(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorKind::kDimensionMismatch: return "DIMENSION_MISMATCH";
    case ErrorKind::kUnknownId: return "UNKNOWN_ID";
    case ErrorKind::kCorruptFile: return "CORRUPT_FILE";
    case ErrorKind::kIo: return "IO";
    case ErrorKind::kUnsupported: return "UNSUPPORTED";
    case ErrorKind::kOutOfMemory: return "OUT_OF_MEMORY";
    case ErrorKind::kInternal: return "INTERNAL";
  }
  return "INTERNAL";
}

Error::Error(ErrorKind kind, const std::string& message)
    : std::runtime_error(std::string("[") + error_kind_tag(kind) + "] " + message), kind_(kind) {}

void rethrow_as_error(const char* operation) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::kOutOfMemory, std::string(operation) + ": out of native memory");
  } catch (const faiss::FaissException& e) {
    throw Error(ErrorKind::kInternal, std::string(operation) + ": FAISS: " + e.what());
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInternal, std::string(operation) + ": " + e.what());
  } catch (...) {
    throw Error(ErrorKind::kInternal, std::string(operation) + ": unknown native exception");
  }
}

}  // namespace trident
