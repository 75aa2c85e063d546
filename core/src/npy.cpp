// NumPy's .npy format, read from bytes with every length checked before it is used.
//
// The header is a Python dict literal; only the three keys NumPy writes are accepted, and only
// the subset of Python literals they use (strings, True/False, tuples of integers). Nothing is
// evaluated, and nothing is allocated before the data's length has been checked against the
// bytes given, so a file can never ask for more memory than 8 bytes per cell it holds.
#include "padlab/core/npy.h"

#include "padlab/core/error.h"
#include "padlab/core/window.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <optional>

namespace padlab::core {

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct TypeInfo {
    NpyType type;
    std::string_view name;
    std::size_t size;
};

constexpr TypeInfo kTypes[] = {
    {NpyType::Bool, "|b1", 1},    {NpyType::Int8, "|i1", 1},    {NpyType::Int16, "<i2", 2},
    {NpyType::Int32, "<i4", 4},   {NpyType::Int64, "<i8", 8},   {NpyType::UInt8, "|u1", 1},
    {NpyType::UInt16, "<u2", 2},  {NpyType::UInt32, "<u4", 4},  {NpyType::UInt64, "<u8", 8},
    {NpyType::Float32, "<f4", 4}, {NpyType::Float64, "<f8", 8},
};

const TypeInfo &info(NpyType type)
{
    return kTypes[static_cast<size_t>(type)];
}

// Little-endian unsigned integer of n bytes.
std::uint64_t littleEndian(const unsigned char *p, int n)
{
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// A cursor over the header's text that names what it expected where it fails.
class HeaderReader {
public:
    HeaderReader(std::string_view text, std::string where) : m_text(text), m_where(std::move(where)) {}

    [[noreturn]] void fail(const std::string &expected) const
    {
        std::string found = m_at < m_text.size() ? "'" + std::string(m_text.substr(m_at, 12)) + "'" : "the end";
        throw Error(m_where + ": the .npy header is malformed: expected " + expected + " at character " +
                    std::to_string(m_at + 1) + ", found " + found);
    }

    void skipSpace()
    {
        while (m_at < m_text.size() && (m_text[m_at] == ' ' || m_text[m_at] == '\t' || m_text[m_at] == '\n' ||
                                        m_text[m_at] == '\r'))
            ++m_at;
    }

    bool accept(char c)
    {
        skipSpace();
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }

    void expect(char c, const std::string &what)
    {
        if (!accept(c))
            fail(what);
    }

    bool peek(char c)
    {
        skipSpace();
        return m_at < m_text.size() && m_text[m_at] == c;
    }

    std::string string()
    {
        skipSpace();
        if (m_at >= m_text.size() || (m_text[m_at] != '\'' && m_text[m_at] != '"'))
            fail("a quoted string");
        const char quote = m_text[m_at++];
        const size_t end = m_text.find(quote, m_at);
        if (end == std::string_view::npos)
            fail("the closing quote");
        const std::string_view s = m_text.substr(m_at, end - m_at);
        if (s.find('\\') != std::string_view::npos)
            fail("a string without escapes");
        m_at = end + 1;
        return std::string(s);
    }

    bool boolean()
    {
        skipSpace();
        for (const auto &[word, value] : {std::pair{std::string_view("True"), true}, {"False", false}}) {
            if (m_text.substr(m_at, word.size()) == word) {
                m_at += word.size();
                return value;
            }
        }
        fail("True or False");
    }

    std::vector<std::int64_t> tuple()
    {
        expect('(', "'(' opening the shape");
        std::vector<std::int64_t> values;
        while (!accept(')')) {
            if (!values.empty())
                expect(',', "',' or ')' in the shape");
            if (accept(')'))
                break;
            skipSpace();
            if (m_at < m_text.size() && m_text[m_at] == '-')
                throw Error(m_where + ": the .npy shape has a negative size");
            std::int64_t v = 0;
            const size_t first = m_at;
            while (m_at < m_text.size() && m_text[m_at] >= '0' && m_text[m_at] <= '9') {
                if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, m_text[m_at] - '0', &v))
                    throw Error(m_where + ": the .npy shape has a size beyond 64 bits");
                ++m_at;
            }
            if (m_at == first)
                fail("a whole number in the shape");
            // Python 2 wrote long integers with an L.
            if (m_at < m_text.size() && (m_text[m_at] == 'L' || m_text[m_at] == 'l'))
                ++m_at;
            values.push_back(v);
            if (values.size() > 64)
                throw Error(m_where + ": the .npy shape has more than the 64 axes NumPy allows");
        }
        return values;
    }

    bool atEnd()
    {
        skipSpace();
        return m_at == m_text.size();
    }

private:
    std::string_view m_text;
    std::string m_where;
    size_t m_at = 0;
};

NpyType typeOf(const std::string &descr, const std::string &where)
{
    for (const TypeInfo &t : kTypes) {
        if (t.name == descr)
            return t.type;
    }
    // A single byte has no byte order: any mark will do.
    if (descr.size() == 3 && descr[2] == '1' && std::string_view("<=>|").find(descr[0]) != std::string_view::npos) {
        for (const TypeInfo &t : kTypes) {
            if (t.size == 1 && t.name.substr(1) == std::string_view(descr).substr(1))
                return t.type;
        }
    }
    if (!descr.empty() && descr[0] == '>')
        throw Error(where + ": big-endian data ('" + descr + "') is not supported: save it with arr.astype('<" +
                    descr.substr(1) + "')");
    if (descr.find('O') != std::string::npos)
        throw Error(where + ": object arrays ('" + descr + "') hold pickled Python objects, which are never read");
    throw Error(where + ": dtype '" + descr +
                "' is not a supported number type (bool, int8 to int64, uint8 to uint64, float32, float64)");
}

template <typename T>
T fromBytes(const unsigned char *p)
{
    T v;
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(&v, p, sizeof(T));
    } else {
        unsigned char swapped[sizeof(T)];
        for (size_t i = 0; i < sizeof(T); ++i)
            swapped[i] = p[sizeof(T) - 1 - i];
        std::memcpy(&v, swapped, sizeof(T));
    }
    return v;
}

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    NdArray a;
    a.shape = shape;
    return a.shapeText();
}

std::string indexText(std::size_t flat, const std::vector<std::int64_t> &shape)
{
    std::vector<std::int64_t> index(shape.size());
    for (size_t a = shape.size(); a-- > 0;) {
        index[a] = static_cast<std::int64_t>(flat % static_cast<std::size_t>(shape[a]));
        flat /= static_cast<std::size_t>(shape[a]);
    }
    return shapeText(index);
}

} // namespace

std::string_view npyTypeName(NpyType type)
{
    return info(type).name;
}

NpyHeader parseNpyHeader(std::string_view bytes, std::string_view source)
{
    const std::string where(source);
    if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic)
        throw Error(where + ": not a NumPy .npy file (it does not start with \\x93NUMPY)");
    if (bytes.size() < kMagic.size() + 2)
        throw Error(where + ": the .npy file ends inside its version");
    NpyHeader h;
    const auto *u = reinterpret_cast<const unsigned char *>(bytes.data());
    h.major = u[6];
    h.minor = u[7];
    if ((h.major != 1 && h.major != 2 && h.major != 3) || h.minor != 0)
        throw Error(where + ": .npy format version " + std::to_string(h.major) + "." + std::to_string(h.minor) +
                    " is not supported (1.0, 2.0 and 3.0 are)");
    const int lengthBytes = h.major == 1 ? 2 : 4;
    const std::size_t start = kMagic.size() + 2 + static_cast<std::size_t>(lengthBytes);
    if (bytes.size() < start)
        throw Error(where + ": the .npy file ends inside its header length");
    const std::uint64_t length = littleEndian(u + 8, lengthBytes);
    if (length > kMaxNpyHeaderBytes)
        throw Error(where + ": the .npy header of " + std::to_string(length) + " bytes is longer than the " +
                    std::to_string(kMaxNpyHeaderBytes) + " NumPy itself reads");
    if (bytes.size() - start < length)
        throw Error(where + ": the .npy header is cut short (it should end at byte " +
                    std::to_string(start + length) + ", the file has " + std::to_string(bytes.size()) + ")");
    h.dataOffset = start + static_cast<std::size_t>(length);

    HeaderReader r(bytes.substr(start, static_cast<std::size_t>(length)), where);
    r.expect('{', "'{' opening the header");
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<std::vector<std::int64_t>> shape;
    while (!r.accept('}')) {
        if (descr || fortran || shape)
            r.expect(',', "',' or '}' between the header's entries");
        if (r.accept('}'))
            break;
        const std::string key = r.string();
        r.expect(':', "':' after '" + key + "'");
        const auto twice = [&](bool seen) {
            if (seen)
                throw Error(where + ": the .npy header names '" + key + "' twice");
        };
        if (key == "descr") {
            twice(descr.has_value());
            if (r.peek('['))
                throw Error(where + ": structured arrays (a list of fields) are not supported: save one numeric array");
            descr = r.string();
        } else if (key == "fortran_order") {
            twice(fortran.has_value());
            fortran = r.boolean();
        } else if (key == "shape") {
            twice(shape.has_value());
            shape = r.tuple();
        } else {
            throw Error(where + ": the .npy header has an unknown key '" + key +
                        "' (it holds descr, fortran_order and shape)");
        }
    }
    if (!r.atEnd())
        r.fail("the end of the header after '}'");
    for (const auto &[present, name] : {std::pair{descr.has_value(), "descr"}, {fortran.has_value(), "fortran_order"},
                                        {shape.has_value(), "shape"}}) {
        if (!present)
            throw Error(where + ": the .npy header has no '" + name + "'");
    }
    h.type = typeOf(*descr, where);
    if (*fortran)
        throw Error(where + ": Fortran-order arrays are not supported: save with np.ascontiguousarray(arr)");
    h.shape = *shape;
    std::uint64_t cells = 1;
    for (std::int64_t d : h.shape) {
        if (__builtin_mul_overflow(cells, static_cast<std::uint64_t>(d), &cells))
            throw Error(where + ": the .npy shape " + shapeText(h.shape) + " has more cells than 64 bits count");
    }
    std::uint64_t dataBytes = 0;
    if (__builtin_mul_overflow(cells, info(h.type).size, &dataBytes) || dataBytes > SIZE_MAX)
        throw Error(where + ": the .npy shape " + shapeText(h.shape) + " has more bytes than 64 bits count");
    h.dataBytes = static_cast<std::size_t>(dataBytes);
    return h;
}

NdArray parseNpy(std::string_view bytes, std::string_view source)
{
    const std::string where(source);
    const NpyHeader h = parseNpyHeader(bytes, source);
    const std::size_t held = bytes.size() - h.dataOffset;
    if (held < h.dataBytes)
        throw Error(where + ": the .npy data is cut short: the shape " + shapeText(h.shape) + " of '" +
                    std::string(npyTypeName(h.type)) + "' needs " + std::to_string(h.dataBytes) + " bytes, the file holds " +
                    std::to_string(held));
    if (held > h.dataBytes)
        throw Error(where + ": " + std::to_string(held - h.dataBytes) + " bytes follow the data the .npy header describes");
    const std::size_t size = info(h.type).size;
    const std::size_t cells = h.dataBytes / size;
    NdArray array;
    array.shape = h.shape;
    array.values.resize(cells);
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data()) + h.dataOffset;
    for (std::size_t i = 0; i < cells; ++i, p += size) {
        double v = 0;
        switch (h.type) {
        case NpyType::Bool: v = *p != 0 ? 1.0 : 0.0; break;
        case NpyType::Int8: v = static_cast<std::int8_t>(*p); break;
        case NpyType::UInt8: v = *p; break;
        case NpyType::Int16: v = fromBytes<std::int16_t>(p); break;
        case NpyType::UInt16: v = fromBytes<std::uint16_t>(p); break;
        case NpyType::Int32: v = fromBytes<std::int32_t>(p); break;
        case NpyType::UInt32: v = fromBytes<std::uint32_t>(p); break;
        case NpyType::Int64: v = static_cast<double>(fromBytes<std::int64_t>(p)); break;
        case NpyType::UInt64: v = static_cast<double>(fromBytes<std::uint64_t>(p)); break;
        case NpyType::Float32: v = fromBytes<float>(p); break;
        case NpyType::Float64: v = fromBytes<double>(p); break;
        }
        if (!std::isfinite(v))
            throw Error(where + ": value " + std::to_string(i + 1) + " (index " + indexText(i, h.shape) +
                        ") is not a finite number");
        array.values[i] = v;
    }
    return array;
}

std::string formatNpy(const NdArray &array)
{
    std::string shape = "(";
    std::size_t cells = 1;
    for (size_t i = 0; i < array.shape.size(); ++i) {
        shape += (i ? ", " : "") + std::to_string(array.shape[i]);
        cells *= static_cast<std::size_t>(array.shape[i]);
    }
    shape += array.shape.size() == 1 ? ",)" : ")";
    if (cells != array.values.size())
        throw std::invalid_argument("formatNpy: the values do not fill the shape");
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    // NumPy pads the header with spaces so that the data starts on a multiple of 64 bytes.
    const std::size_t prefix = kMagic.size() + 2 + 2;
    header.append(63 - (prefix + header.size()) % 64, ' ');
    header += '\n';
    std::string out(kMagic);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>((header.size() >> 8) & 0xff);
    out += header;
    out.reserve(out.size() + cells * 8);
    for (double v : array.values) {
        unsigned char b[8];
        std::memcpy(b, &v, 8);
        if constexpr (std::endian::native != std::endian::little) {
            for (int i = 0; i < 4; ++i)
                std::swap(b[i], b[7 - i]);
        }
        out.append(reinterpret_cast<const char *>(b), 8);
    }
    return out;
}

} // namespace padlab::core
