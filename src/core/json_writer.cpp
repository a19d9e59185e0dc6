#include "core/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace reel {

std::string jsonEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20) out += fmt::format("\\u{:04x}", static_cast<int>(ch));
                else out += ch;
        }
    }
    return out;
}

void JsonWriter::separate() {
    if (needComma_) out_ += ",";
    needComma_ = true;
}

JsonWriter& JsonWriter::beginObject() {
    separate();
    out_ += "{";
    needComma_ = false;
    return *this;
}
JsonWriter& JsonWriter::endObject() {
    out_ += "}";
    needComma_ = true;
    return *this;
}
JsonWriter& JsonWriter::beginArray() {
    separate();
    out_ += "[";
    needComma_ = false;
    return *this;
}
JsonWriter& JsonWriter::endArray() {
    out_ += "]";
    needComma_ = true;
    return *this;
}
JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    out_ += "\"" + jsonEscape(name) + "\":";
    needComma_ = false;
    return *this;
}
JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    out_ += "\"" + jsonEscape(text) + "\"";
    return *this;
}
JsonWriter& JsonWriter::value(double number, int decimals) {
    if (!std::isfinite(number)) return null();
    separate();
    std::string text = fmt::format("{:.{}f}", number, decimals);
    if (text == "-0" || text.find_first_not_of("-0.") == std::string::npos) text = fmt::format("{:.{}f}", 0.0, decimals);
    out_ += text;
    return *this;
}
JsonWriter& JsonWriter::value(std::int64_t number) {
    separate();
    out_ += std::to_string(number);
    return *this;
}
JsonWriter& JsonWriter::value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
}
JsonWriter& JsonWriter::value(std::optional<double> number, int decimals) {
    return number ? value(*number, decimals) : null();
}
JsonWriter& JsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}

}  // namespace reel
