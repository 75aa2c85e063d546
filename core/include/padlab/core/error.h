#pragma once

#include <stdexcept>
#include <string>

namespace padlab::core {

/// @brief A request the engine cannot answer, with a message for the user that names what is
/// wrong (file, line, column or option). Thrown by parsers and loaders; computations validate
/// their arguments with validate() first.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string &message) : std::runtime_error(message) {}
};

} // namespace padlab::core
