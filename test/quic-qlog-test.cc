/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// qlog writer (QuicQlogWriter): qlog 0.3 JSON-SEQ traces as quiche and quic-go write them and
// qvis reads them. Every record is checked with a strict recursive-descent JSON parser written
// here (RFC 8259 grammar, well-formed UTF-8, no duplicate keys), so the tests need no JSON
// library. No Simulator: the writer is driven with explicit times.

#include "quic-ns3-compat.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/quic-connection-id.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-qlog.h"
#include "ns3/test.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * \ingroup quic-migration-tests
 * \brief A parsed JSON value (just enough DOM to check field values).
 */
struct JsonValue
{
    /// JSON value kinds.
    enum class Kind
    {
        NUL,    ///< null
        BOOL,   ///< true / false
        NUMBER, ///< number (kept as its text)
        STRING, ///< string (decoded to UTF-8)
        ARRAY,  ///< array
        OBJECT, ///< object
    };

    Kind m_kind{Kind::NUL};                                  //!< kind
    bool m_bool{false};                                      //!< BOOL value
    std::string m_text;                                      //!< NUMBER text or STRING value
    std::vector<JsonValue> m_items;                          //!< ARRAY items
    std::vector<std::pair<std::string, JsonValue>> m_fields; //!< OBJECT fields in order

    /**
     * \param key a field name
     * \return the field of an object, or nullptr if absent (or not an object)
     */
    const JsonValue* Get(const std::string& key) const
    {
        for (const auto& f : m_fields)
        {
            if (f.first == key)
            {
                return &f.second;
            }
        }
        return nullptr;
    }

    /// \param key field name \return true if the object has the field
    bool Has(const std::string& key) const
    {
        return Get(key) != nullptr;
    }

    /**
     * \param key field name
     * \return the string value of a field ("<missing>" / "<not a string>" otherwise)
     */
    std::string Str(const std::string& key) const
    {
        const JsonValue* v = Get(key);
        if (v == nullptr)
        {
            return "<missing>";
        }
        return v->m_kind == Kind::STRING ? v->m_text : "<not a string>";
    }

    /**
     * \param key field name
     * \return the number text of a field ("<missing>" / "<not a number>" otherwise)
     */
    std::string Num(const std::string& key) const
    {
        const JsonValue* v = Get(key);
        if (v == nullptr)
        {
            return "<missing>";
        }
        return v->m_kind == Kind::NUMBER ? v->m_text : "<not a number>";
    }

    /**
     * \brief Compact re-serialisation (numbers as written, strings minimally escaped) to
     * compare structures in one assertion.
     * \return the text
     */
    std::string Dump() const
    {
        switch (m_kind)
        {
        case Kind::NUL:
            return "null";
        case Kind::BOOL:
            return m_bool ? "true" : "false";
        case Kind::NUMBER:
            return m_text;
        case Kind::STRING:
            return "\"" + m_text + "\"";
        case Kind::ARRAY: {
            std::string s = "[";
            for (size_t i = 0; i < m_items.size(); ++i)
            {
                s += (i ? "," : "") + m_items[i].Dump();
            }
            return s + "]";
        }
        case Kind::OBJECT: {
            std::string s = "{";
            for (size_t i = 0; i < m_fields.size(); ++i)
            {
                s += (i ? ",\"" : "\"") + m_fields[i].first + "\":" + m_fields[i].second.Dump();
            }
            return s + "}";
        }
        }
        return "";
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief Strict JSON parser (RFC 8259): rejects anything the grammar does not allow, raw
 * control characters in strings, ill-formed UTF-8, lone surrogate escapes, duplicate keys and
 * trailing bytes. Nesting is bounded so that a broken writer cannot blow the stack.
 */
class StrictJsonParser
{
  public:
    /**
     * \param text the JSON text
     * \param out receives the value
     * \param error receives the reason on failure
     * \return true if text is exactly one valid JSON value (surrounding whitespace allowed)
     */
    static bool Parse(const std::string& text, JsonValue& out, std::string& error)
    {
        StrictJsonParser p(text);
        p.SkipWs();
        if (!p.Value(out, 0))
        {
            error = p.m_error + " at offset " + std::to_string(p.m_pos);
            return false;
        }
        p.SkipWs();
        if (p.m_pos != text.size())
        {
            error = "trailing bytes at offset " + std::to_string(p.m_pos);
            return false;
        }
        return true;
    }

  private:
    /// \param text the input
    explicit StrictJsonParser(const std::string& text)
        : m_s(text),
          m_pos(0)
    {
    }

    /// \param why reason \return false
    bool Fail(const char* why)
    {
        if (m_error.empty())
        {
            m_error = why;
        }
        return false;
    }

    /// \return the next byte, or -1 at the end
    int Peek() const
    {
        return m_pos < m_s.size() ? static_cast<uint8_t>(m_s[m_pos]) : -1;
    }

    /// Skip JSON whitespace.
    void SkipWs()
    {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' ||
                                      m_s[m_pos] == '\n' || m_s[m_pos] == '\r'))
        {
            ++m_pos;
        }
    }

    /// \param word literal to match \return true if matched (and consumed)
    bool Literal(const char* word)
    {
        const size_t n = std::char_traits<char>::length(word);
        if (m_s.compare(m_pos, n, word) != 0)
        {
            return false;
        }
        m_pos += n;
        return true;
    }

    /// \param v receives the value \param depth nesting depth \return success
    bool Value(JsonValue& v, int depth)
    {
        if (depth > 64)
        {
            return Fail("nesting too deep");
        }
        const int c = Peek();
        if (c == '{')
        {
            return Object(v, depth);
        }
        if (c == '[')
        {
            return Array(v, depth);
        }
        if (c == '"')
        {
            v.m_kind = JsonValue::Kind::STRING;
            return String(v.m_text);
        }
        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return Number(v);
        }
        if (Literal("true"))
        {
            v.m_kind = JsonValue::Kind::BOOL;
            v.m_bool = true;
            return true;
        }
        if (Literal("false"))
        {
            v.m_kind = JsonValue::Kind::BOOL;
            v.m_bool = false;
            return true;
        }
        if (Literal("null"))
        {
            v.m_kind = JsonValue::Kind::NUL;
            return true;
        }
        return Fail("unexpected character");
    }

    /// \param v receives the object \param depth nesting depth \return success
    bool Object(JsonValue& v, int depth)
    {
        v.m_kind = JsonValue::Kind::OBJECT;
        ++m_pos; // '{'
        SkipWs();
        if (Peek() == '}')
        {
            ++m_pos;
            return true;
        }
        while (true)
        {
            SkipWs();
            if (Peek() != '"')
            {
                return Fail("expected a key");
            }
            std::string key;
            if (!String(key))
            {
                return false;
            }
            if (v.Has(key))
            {
                return Fail("duplicate key");
            }
            SkipWs();
            if (Peek() != ':')
            {
                return Fail("expected ':'");
            }
            ++m_pos;
            SkipWs();
            JsonValue item;
            if (!Value(item, depth + 1))
            {
                return false;
            }
            v.m_fields.emplace_back(std::move(key), std::move(item));
            SkipWs();
            if (Peek() == ',')
            {
                ++m_pos;
                continue;
            }
            if (Peek() == '}')
            {
                ++m_pos;
                return true;
            }
            return Fail("expected ',' or '}'");
        }
    }

    /// \param v receives the array \param depth nesting depth \return success
    bool Array(JsonValue& v, int depth)
    {
        v.m_kind = JsonValue::Kind::ARRAY;
        ++m_pos; // '['
        SkipWs();
        if (Peek() == ']')
        {
            ++m_pos;
            return true;
        }
        while (true)
        {
            SkipWs();
            JsonValue item;
            if (!Value(item, depth + 1))
            {
                return false;
            }
            v.m_items.push_back(std::move(item));
            SkipWs();
            if (Peek() == ',')
            {
                ++m_pos;
                continue;
            }
            if (Peek() == ']')
            {
                ++m_pos;
                return true;
            }
            return Fail("expected ',' or ']'");
        }
    }

    /// \param v receives the number \return success
    bool Number(JsonValue& v)
    {
        const size_t start = m_pos;
        if (Peek() == '-')
        {
            ++m_pos;
        }
        if (Peek() == '0')
        {
            ++m_pos;
        }
        else if (Peek() >= '1' && Peek() <= '9')
        {
            while (Peek() >= '0' && Peek() <= '9')
            {
                ++m_pos;
            }
        }
        else
        {
            return Fail("bad number");
        }
        if (Peek() == '.')
        {
            ++m_pos;
            if (!(Peek() >= '0' && Peek() <= '9'))
            {
                return Fail("bad fraction");
            }
            while (Peek() >= '0' && Peek() <= '9')
            {
                ++m_pos;
            }
        }
        if (Peek() == 'e' || Peek() == 'E')
        {
            ++m_pos;
            if (Peek() == '+' || Peek() == '-')
            {
                ++m_pos;
            }
            if (!(Peek() >= '0' && Peek() <= '9'))
            {
                return Fail("bad exponent");
            }
            while (Peek() >= '0' && Peek() <= '9')
            {
                ++m_pos;
            }
        }
        v.m_kind = JsonValue::Kind::NUMBER;
        v.m_text = m_s.substr(start, m_pos - start);
        return true;
    }

    /// \param cp a code point \param out receives its UTF-8 encoding
    static void AppendUtf8(uint32_t cp, std::string& out)
    {
        if (cp < 0x80)
        {
            out.push_back(static_cast<char>(cp));
        }
        else if (cp < 0x800)
        {
            out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
        else if (cp < 0x10000)
        {
            out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
        else
        {
            out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
    }

    /// \param cp receives the 4 hex digits after "\u" \return success
    bool Hex4(uint32_t& cp)
    {
        cp = 0;
        for (int i = 0; i < 4; ++i)
        {
            const int c = Peek();
            uint32_t d;
            if (c >= '0' && c <= '9')
            {
                d = c - '0';
            }
            else if (c >= 'a' && c <= 'f')
            {
                d = c - 'a' + 10;
            }
            else if (c >= 'A' && c <= 'F')
            {
                d = c - 'A' + 10;
            }
            else
            {
                return Fail("bad \\u escape");
            }
            cp = cp * 16 + d;
            ++m_pos;
        }
        return true;
    }

    /// \param out receives the decoded string \return success
    bool String(std::string& out)
    {
        ++m_pos; // '"'
        while (true)
        {
            const int c = Peek();
            if (c < 0)
            {
                return Fail("unterminated string");
            }
            if (c == '"')
            {
                ++m_pos;
                return true;
            }
            if (c < 0x20)
            {
                return Fail("raw control character in string");
            }
            if (c == '\\')
            {
                ++m_pos;
                const int e = Peek();
                ++m_pos;
                switch (e)
                {
                case '"':
                case '\\':
                case '/':
                    out.push_back(static_cast<char>(e));
                    break;
                case 'b':
                    out.push_back('\b');
                    break;
                case 'f':
                    out.push_back('\f');
                    break;
                case 'n':
                    out.push_back('\n');
                    break;
                case 'r':
                    out.push_back('\r');
                    break;
                case 't':
                    out.push_back('\t');
                    break;
                case 'u': {
                    uint32_t cp;
                    if (!Hex4(cp))
                    {
                        return false;
                    }
                    if (cp >= 0xdc00 && cp <= 0xdfff)
                    {
                        return Fail("lone low surrogate");
                    }
                    if (cp >= 0xd800 && cp <= 0xdbff)
                    {
                        uint32_t lo;
                        if (!Literal("\\u") || !Hex4(lo) || lo < 0xdc00 || lo > 0xdfff)
                        {
                            return Fail("lone high surrogate");
                        }
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    }
                    AppendUtf8(cp, out);
                    break;
                }
                default:
                    return Fail("bad escape");
                }
                continue;
            }
            if (c < 0x80)
            {
                out.push_back(static_cast<char>(c));
                ++m_pos;
                continue;
            }
            // Multi-byte UTF-8: must be well-formed (RFC 3629).
            size_t n = 0;
            uint8_t lo = 0x80;
            uint8_t hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf)
            {
                n = 2;
            }
            else if (c >= 0xe0 && c <= 0xef)
            {
                n = 3;
                lo = c == 0xe0 ? 0xa0 : 0x80;
                hi = c == 0xed ? 0x9f : 0xbf;
            }
            else if (c >= 0xf0 && c <= 0xf4)
            {
                n = 4;
                lo = c == 0xf0 ? 0x90 : 0x80;
                hi = c == 0xf4 ? 0x8f : 0xbf;
            }
            else
            {
                return Fail("ill-formed UTF-8 lead byte");
            }
            if (m_pos + n > m_s.size())
            {
                return Fail("truncated UTF-8");
            }
            const auto b1 = static_cast<uint8_t>(m_s[m_pos + 1]);
            if (b1 < lo || b1 > hi)
            {
                return Fail("ill-formed UTF-8");
            }
            for (size_t i = 2; i < n; ++i)
            {
                if ((static_cast<uint8_t>(m_s[m_pos + i]) & 0xc0) != 0x80)
                {
                    return Fail("ill-formed UTF-8");
                }
            }
            out.append(m_s, m_pos, n);
            m_pos += n;
        }
    }

    const std::string& m_s; //!< input
    size_t m_pos;           //!< cursor
    std::string m_error;    //!< first error
};

/**
 * \param path a file
 * \return its bytes ("" if it cannot be read)
 */
std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/**
 * \brief Split a JSON-SEQ text into records and check the framing.
 * \param text the file contents
 * \param records receives each record without its RS and LF
 * \param error receives the reason on failure
 * \return true if every record is RS + text + LF, with no RS or LF inside
 */
bool
SplitJsonSeq(const std::string& text, std::vector<std::string>& records, std::string& error)
{
    size_t pos = 0;
    while (pos < text.size())
    {
        if (text[pos] != '\x1e')
        {
            error = "record does not start with 0x1E at offset " + std::to_string(pos);
            return false;
        }
        const size_t end = text.find('\n', pos);
        if (end == std::string::npos)
        {
            error = "record at offset " + std::to_string(pos) + " does not end with LF";
            return false;
        }
        std::string record = text.substr(pos + 1, end - pos - 1);
        if (record.find('\x1e') != std::string::npos)
        {
            error = "record separator inside a record at offset " + std::to_string(pos);
            return false;
        }
        records.push_back(std::move(record));
        pos = end + 1;
    }
    return true;
}

/**
 * \brief What AppendJsonString() should decode back to: valid UTF-8 kept, every other byte b
 * as the code point U+00b (UTF-8 encoded).
 * \param bytes the input
 * \return the expected decoded string
 */
std::string
ExpectedDecoded(const std::string& bytes)
{
    std::string out;
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t len = bytes.size();
    size_t i = 0;
    while (i < len)
    {
        const uint8_t c = p[i];
        size_t n = 0;
        uint8_t lo = 0x80;
        uint8_t hi = 0xbf;
        if (c < 0x80)
        {
            n = 1;
        }
        else if (c >= 0xc2 && c <= 0xdf)
        {
            n = 2;
        }
        else if (c >= 0xe0 && c <= 0xef)
        {
            n = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        }
        else if (c >= 0xf0 && c <= 0xf4)
        {
            n = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        }
        bool ok = n > 0 && i + n <= len;
        if (ok && n > 1)
        {
            ok = p[i + 1] >= lo && p[i + 1] <= hi;
            for (size_t k = 2; ok && k < n; ++k)
            {
                ok = (p[i + k] & 0xc0) == 0x80;
            }
        }
        if (ok)
        {
            out.append(bytes, i, n);
            i += n;
        }
        else
        {
            out.push_back(static_cast<char>(0xc0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3f)));
            ++i;
        }
    }
    return out;
}

/// \return a connection ID from hex
QuicConnectionId
Cid(const std::string& hex)
{
    QuicConnectionId cid;
    QuicConnectionId::FromHex(hex, cid);
    return cid;
}

/// \return a path with the given addresses and optional id
QuicQlogPath
Path(const std::string& local, const std::string& remote, std::optional<uint64_t> id = {})
{
    QuicQlogPath p;
    p.m_local = local;
    p.m_remote = remote;
    p.m_pathId = id;
    return p;
}

/// Bytes a test reason phrase or token points to (kept alive for the frames' views).
const std::string g_reason = "bad \"frame\"\n";
/// Token bytes for NEW_TOKEN.
const uint8_t g_token[] = {0xde, 0xad, 0xbe, 0xef};
/// Data bytes for STREAM / CRYPTO frames (only the length is logged).
const uint8_t g_data[1000] = {};

/**
 * \brief One frame of every type the writer encodes, in wire-type order, plus an unknown type.
 * \return the frames
 */
std::vector<QuicFrame>
AllFrames()
{
    std::vector<QuicFrame> f;
    f.push_back(QuicFrame::Padding(37));
    f.push_back(QuicFrame::Ping());
    f.push_back(QuicFrame::Ack({{7, 9}, {0, 5}, {12, 12}}, 3)); // normalised descending
    f.push_back(QuicFrame::AckEcn({{1, 1}}, 0, 10, 20, 30));
    QuicFrame q;
    q.m_type = QuicFrameType::RESET_STREAM;
    q.m_streamId = 4;
    q.m_errorCode = 0x101;
    q.m_finalSize = 5000;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::STOP_SENDING;
    q.m_streamId = 8;
    q.m_errorCode = 7;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::CRYPTO;
    q.m_offset = 100;
    q.m_data = g_data;
    q.m_dataLength = 250;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::NEW_TOKEN;
    q.m_data = g_token;
    q.m_dataLength = sizeof(g_token);
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicStreamFrameType(false, true, false); // stream 0, offset 0, 1000 bytes
    q.m_streamId = 0;
    q.m_data = g_data;
    q.m_dataLength = 1000;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicStreamFrameType(true, true, true);
    q.m_streamId = 4;
    q.m_offset = 1000;
    q.m_data = g_data;
    q.m_dataLength = 10;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::MAX_DATA;
    q.m_maximum = 1048576;
    f.push_back(q);
    q.m_type = QuicFrameType::MAX_STREAM_DATA;
    q.m_streamId = 4;
    q.m_maximum = 65536;
    f.push_back(q);
    q.m_type = QuicFrameType::MAX_STREAMS_BIDI;
    q.m_maximum = 100;
    f.push_back(q);
    q.m_type = QuicFrameType::MAX_STREAMS_UNI;
    q.m_maximum = 3;
    f.push_back(q);
    q.m_type = QuicFrameType::DATA_BLOCKED;
    q.m_maximum = 2000;
    f.push_back(q);
    q.m_type = QuicFrameType::STREAM_DATA_BLOCKED;
    q.m_streamId = 8;
    q.m_maximum = 3000;
    f.push_back(q);
    q.m_type = QuicFrameType::STREAMS_BLOCKED_BIDI;
    q.m_maximum = 101;
    f.push_back(q);
    q.m_type = QuicFrameType::STREAMS_BLOCKED_UNI;
    q.m_maximum = 4;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::NEW_CONNECTION_ID;
    q.m_sequenceNumber = 2;
    q.m_retirePriorTo = 1;
    q.m_connectionId = Cid("0102030405060708");
    for (size_t i = 0; i < QuicFrame::RESET_TOKEN_LENGTH; ++i)
    {
        q.m_statelessResetToken[i] = static_cast<uint8_t>(0xa0 + i);
    }
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::RETIRE_CONNECTION_ID;
    q.m_sequenceNumber = 1;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::PATH_CHALLENGE;
    for (size_t i = 0; i < QuicFrame::PATH_DATA_LENGTH; ++i)
    {
        q.m_pathData[i] = static_cast<uint8_t>(0x11 * (i + 1));
    }
    f.push_back(q);
    q.m_type = QuicFrameType::PATH_RESPONSE;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::CONNECTION_CLOSE;
    q.m_errorCode = 0x0a; // PROTOCOL_VIOLATION
    q.m_frameType = 0x08; // triggered by a STREAM frame
    q.m_data = reinterpret_cast<const uint8_t*>(g_reason.data());
    q.m_dataLength = g_reason.size();
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::CONNECTION_CLOSE_APP;
    q.m_errorCode = 0x100;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = QuicFrameType::HANDSHAKE_DONE;
    f.push_back(q);
    q = QuicFrame();
    q.m_type = static_cast<QuicFrameType>(0x30); // DATAGRAM: unknown to RFC 9000
    f.push_back(q);
    return f;
}

/// The events WriteEverything() writes, in order.
const std::vector<std::string> g_allEventNames = {
    "connectivity:connection_started",
    "connectivity:connection_state_updated",
    "transport:parameters_set",
    "security:key_updated",
    "transport:packet_sent",
    "transport:packet_received",
    "transport:packet_sent",
    "transport:packet_dropped",
    "transport:packets_acked",
    "recovery:metrics_updated",
    "recovery:packet_lost",
    "recovery:congestion_state_updated",
    "security:key_discarded",
    "connectivity:connection_id_updated",
    "connectivity:spin_bit_updated",
    "quic_migration:path_challenge_sent",
    "quic_migration:path_challenge_received",
    "quic_migration:path_response_sent",
    "quic_migration:path_response_received",
    "quic_migration:path_validated",
    "quic_migration:path_validation_failed",
    "quic_migration:peer_address_changed",
    "quic_migration:migration_started",
    "quic_migration:active_path_switched",
    "quic_migration:migration_completed",
    "quic_migration:fallback",
    "quic_migration:amplification_limited",
    "connectivity:connection_closed",
};

/**
 * \brief Write one event of every kind and every frame type (reference time 1 s).
 * \param w an open writer
 */
void
WriteEverything(QuicQlogWriter& w)
{
    const Time t0 = Seconds(1);
    w.ConnectionStarted(t0,
                        "10.1.1.1",
                        49153,
                        "10.2.2.2",
                        443,
                        Cid("c0c1c2c3"),
                        Cid("8394c8f03e515708"));
    w.ConnectionStateUpdated(t0, std::nullopt, QuicQlogConnectionState::ATTEMPTED);
    w.ParametersSet(t0,
                    QuicQlogOwner::LOCAL,
                    {QuicQlogParameter::Uint("initial_max_data", 1048576),
                     QuicQlogParameter::Bool("disable_active_migration", false),
                     QuicQlogParameter::String("tls_cipher", "AES_128_GCM_SHA256"),
                     QuicQlogParameter::Cid("initial_source_connection_id", Cid("c0c1c2c3"))});
    w.KeyUpdated(t0, QuicQlogKeyType::CLIENT_INITIAL_SECRET, QuicQlogKeyTrigger::TLS);

    QuicQlogPacketHeader h;
    h.m_type = QuicPacketType::INITIAL;
    h.m_packetNumber = 0;
    h.m_version = 1;
    h.m_dcid = Cid("8394c8f03e515708");
    h.m_scid = Cid("c0c1c2c3");
    h.m_length = 1200;
    h.m_payloadLength = 1162;
    h.m_datagramId = 0;
    h.m_isCoalesced = true;
    const std::vector<QuicFrame> frames = AllFrames();
    // 1.5 s + 1234 ns: 500.001 ms after the reference time.
    w.PacketSent(Seconds(1.5) + NanoSeconds(1234),
                 h,
                 frames.data(),
                 frames.size(),
                 MicroSeconds(3250));

    QuicQlogPacketHeader r;
    r.m_type = QuicPacketType::ONE_RTT;
    r.m_packetNumber = 77;
    r.m_dcid = Cid("c0c1c2c3");
    r.m_length = 60;
    r.m_trigger = QuicQlogPacketTrigger::KEYS_AVAILABLE;
    w.BeginPacketReceived(Seconds(2), r);
    w.AddFrame(frames[2], MilliSeconds(25)); // ACK
    w.AddFrame(frames[9]);                   // STREAM with FIN
    w.EndPacket();

    QuicQlogPacketHeader retry;
    retry.m_type = QuicPacketType::RETRY;
    retry.m_trigger = QuicQlogPacketTrigger::PTO_PROBE;
    w.PacketSent(Seconds(2), retry, nullptr, 0);

    w.PacketDropped(Seconds(2), QuicPacketType::HANDSHAKE, 1252, QuicQlogDropTrigger::DUPLICATE);
    const uint64_t acked[] = {0, 1, 3};
    w.PacketsAcked(Seconds(2), QuicPacketNumberSpace::APPLICATION, acked, 3);

    QuicQlogMetrics m;
    m.m_smoothedRtt = MicroSeconds(33333);
    m.m_congestionWindow = 12000;
    m.m_bytesInFlight = 0;
    w.MetricsUpdated(Seconds(2), m);
    w.MetricsUpdated(Seconds(2), QuicQlogMetrics()); // empty: nothing written
    w.PacketLost(Seconds(2), QuicPacketType::ONE_RTT, 5, QuicQlogLossTrigger::TIME_THRESHOLD);
    w.CongestionStateUpdated(Seconds(2),
                             QuicQlogCongestionState::SLOW_START,
                             QuicQlogCongestionState::RECOVERY,
                             QuicQlogCongestionTrigger::PERSISTENT_CONGESTION);
    w.KeyDiscarded(Seconds(2),
                   QuicQlogKeyType::SERVER_1RTT_SECRET,
                   QuicQlogKeyTrigger::LOCAL_UPDATE,
                   3);
    w.ConnectionIdUpdated(Seconds(2), QuicQlogOwner::REMOTE, Cid("8394c8f03e515708"), Cid("aabb"));
    w.SpinBitUpdated(Seconds(2), true);

    const QuicQlogPath oldPath = Path("10.1.1.1:49153", "10.2.2.2:443", 0);
    const QuicQlogPath newPath = Path("10.3.3.3:50000", "10.2.2.2:443", 1);
    const uint8_t data[QuicFrame::PATH_DATA_LENGTH] = {1, 2, 3, 4, 5, 6, 7, 0xff};
    w.PathChallengeSent(Seconds(3), newPath, data);
    w.PathChallengeReceived(Seconds(3), newPath, data);
    w.PathResponseSent(Seconds(3), newPath, data);
    w.PathResponseReceived(Seconds(3), newPath, data);
    w.PathValidated(Seconds(3), newPath, MicroSeconds(20500));
    w.PathValidationFailed(Seconds(3), Path("10.4.4.4:1", "10.2.2.2:443"), "timeout");
    w.PeerAddressChanged(Seconds(3), "10.2.2.2:443", "10.9.9.9:1000", "10.9.9.9:2000", true);
    w.MigrationStarted(Seconds(3), oldPath, newPath, "local_address_change");
    w.ActivePathSwitched(Seconds(3), oldPath, newPath);
    w.MigrationCompleted(Seconds(3), newPath, MilliSeconds(21));
    w.Fallback(Seconds(3), newPath, oldPath, "path_validation_failed");
    w.AmplificationLimited(Seconds(3), newPath, 100, 300, 300, 1200);

    QuicQlogConnectionClose c;
    c.m_owner = QuicQlogOwner::LOCAL;
    c.m_connectionCode = 0x178; // CRYPTO_ERROR with TLS alert 0x78
    c.m_reason = "no application protocol";
    c.m_trigger = QuicQlogCloseTrigger::ERROR;
    w.ConnectionClosed(Seconds(4), c);
}

/**
 * \ingroup quic-migration-tests
 * \brief Base with a helper that reads and parses a whole trace.
 */
class QlogTestBase : public TestCase
{
  public:
    /// \param name test name
    explicit QlogTestBase(const std::string& name)
        : TestCase(name)
    {
    }

  protected:
    /**
     * \brief Split, frame-check and parse every record of a trace.
     * \param text the trace
     * \param records receives the parsed records (header first)
     * \return true if all records are framed and parse as strict JSON
     */
    bool ParseTrace(const std::string& text, std::vector<JsonValue>& records)
    {
        std::vector<std::string> raw;
        std::string error;
        const bool framed = SplitJsonSeq(text, raw, error);
        NS_TEST_EXPECT_MSG_EQ(framed, true, "JSON-SEQ framing: " << error);
        if (!framed)
        {
            return false;
        }
        bool ok = true;
        for (size_t i = 0; i < raw.size(); ++i)
        {
            JsonValue v;
            const bool parsed = StrictJsonParser::Parse(raw[i], v, error);
            NS_TEST_EXPECT_MSG_EQ(parsed,
                                  true,
                                  "record " << i << " is not valid JSON: " << error << ": "
                                            << raw[i].substr(0, 200));
            ok = ok && parsed;
            records.push_back(std::move(v));
        }
        return ok;
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief The header record: qlog 0.3, JSON-SEQ, vantage point, common fields; an empty trace
 * is just the header; a stream-backed trace is the same bytes as a file-backed one.
 */
class QlogHeaderTestCase : public QlogTestBase
{
  public:
    QlogHeaderTestCase()
        : QlogTestBase("qlog header record: qlog_version 0.3, JSON-SEQ, trace metadata")
    {
    }

  private:
    void DoRun() override
    {
        const std::string path = CreateTempDirFilename("quic-qlog-header.sqlog");
        QuicQlogWriter w;
        NS_TEST_ASSERT_MSG_EQ(w.Open(path,
                                     QuicQlogVantagePoint::SERVER,
                                     "ns-3 \"quic-migration\"",
                                     Cid("8394c8f03e515708"),
                                     MilliSeconds(1500),
                                     "server-1"),
                              true,
                              "open " << path << ": " << w.GetLastError());
        NS_TEST_EXPECT_MSG_EQ(w.IsOpen(), true, "open");
        NS_TEST_EXPECT_MSG_EQ(w.GetReferenceTime(), MilliSeconds(1500), "reference time");
        w.Close();
        NS_TEST_EXPECT_MSG_EQ(w.IsOpen(), false, "closed");
        NS_TEST_EXPECT_MSG_EQ(w.GetEventCount(), 0, "no events");

        const std::string text = ReadFile(path);
        std::vector<JsonValue> records;
        if (!ParseTrace(text, records))
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(records.size(), 1, "an empty trace is one header record");
        const JsonValue& h = records[0];
        NS_TEST_EXPECT_MSG_EQ(h.Str("qlog_version"), "0.3", "qlog_version");
        NS_TEST_EXPECT_MSG_EQ(h.Str("qlog_format"), "JSON-SEQ", "qlog_format");
        NS_TEST_EXPECT_MSG_EQ(h.Str("title"), "ns-3 \"quic-migration\"", "title escaped");
        const JsonValue* trace = h.Get("trace");
        NS_TEST_ASSERT_MSG_NE(trace, nullptr, "trace");
        const JsonValue* vp = trace->Get("vantage_point");
        NS_TEST_ASSERT_MSG_NE(vp, nullptr, "vantage_point");
        NS_TEST_EXPECT_MSG_EQ(vp->Str("type"), "server", "vantage point type");
        NS_TEST_EXPECT_MSG_EQ(vp->Str("name"), "server-1", "vantage point name");
        const JsonValue* cf = trace->Get("common_fields");
        NS_TEST_ASSERT_MSG_NE(cf, nullptr, "common_fields");
        NS_TEST_EXPECT_MSG_EQ(cf->Str("ODCID"), "8394c8f03e515708", "ODCID");
        NS_TEST_EXPECT_MSG_EQ(cf->Str("group_id"), "8394c8f03e515708", "group_id");
        NS_TEST_EXPECT_MSG_EQ(cf->Num("reference_time"), "1500", "reference_time in ms");
        NS_TEST_EXPECT_MSG_EQ(cf->Str("time_format"), "relative", "time_format");
        const JsonValue* pt = cf->Get("protocol_type");
        NS_TEST_ASSERT_MSG_NE(pt, nullptr, "protocol_type");
        NS_TEST_EXPECT_MSG_EQ(pt->Dump(), "[\"QUIC\"]", "protocol_type");

        // A client trace without a name: no "name" field; same bytes through a stream.
        std::ostringstream os;
        QuicQlogWriter s;
        NS_TEST_ASSERT_MSG_EQ(
            s.Open(&os, QuicQlogVantagePoint::CLIENT, "t", QuicConnectionId(), Time(0)),
            true,
            "open stream");
        s.Close();
        records.clear();
        if (!ParseTrace(os.str(), records))
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(records.size(), 1, "one record");
        NS_TEST_EXPECT_MSG_EQ(os.str(),
                              "\x1e{\"qlog_version\":\"0.3\",\"qlog_format\":\"JSON-SEQ\","
                              "\"title\":\"t\",\"trace\":{\"vantage_point\":{\"type\":\"client\"},"
                              "\"common_fields\":{\"ODCID\":\"\",\"group_id\":\"\","
                              "\"reference_time\":0,\"time_format\":\"relative\","
                              "\"protocol_type\":[\"QUIC\"]}}}\n",
                              "exact header bytes");
        std::remove(path.c_str());
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief One event of every kind and every frame type: all records valid, names in order,
 * and sampled field values (relative times, ACK ranges ascending, stream fields, errors).
 */
class QlogAllEventsTestCase : public QlogTestBase
{
  public:
    QlogAllEventsTestCase()
        : QlogTestBase("qlog: every event and every frame type, field values")
    {
    }

  private:
    void DoRun() override
    {
        const std::string path = CreateTempDirFilename("quic-qlog-all.sqlog");
        {
            QuicQlogWriter w;
            NS_TEST_ASSERT_MSG_EQ(w.Open(path,
                                         QuicQlogVantagePoint::CLIENT,
                                         "all events",
                                         Cid("8394c8f03e515708"),
                                         Seconds(1)),
                                  true,
                                  w.GetLastError());
            WriteEverything(w);
            NS_TEST_EXPECT_MSG_EQ(w.GetEventCount(), g_allEventNames.size(), "event count");
            // The destructor closes and flushes.
        }
        std::vector<JsonValue> rec;
        if (!ParseTrace(ReadFile(path), rec))
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(rec.size(), g_allEventNames.size() + 1, "header + events");
        for (size_t i = 0; i < g_allEventNames.size(); ++i)
        {
            const JsonValue& e = rec[i + 1];
            NS_TEST_EXPECT_MSG_EQ(e.Str("name"), g_allEventNames[i], "event " << i);
            NS_TEST_EXPECT_MSG_EQ(e.Has("time") && e.Has("data") && e.m_fields.size() == 3,
                                  true,
                                  "event " << i << " has exactly time, name, data");
        }
        NS_TEST_EXPECT_MSG_EQ(rec[1].Num("time"), "0", "time relative to reference");

        // connection_started
        const JsonValue* d = rec[1].Get("data");
        NS_TEST_EXPECT_MSG_EQ(d->Dump(),
                              "{\"ip_version\":\"v4\",\"src_ip\":\"10.1.1.1\",\"dst_ip\":"
                              "\"10.2.2.2\",\"protocol\":\"QUIC\",\"src_port\":49153,"
                              "\"dst_port\":443,\"src_cid\":\"c0c1c2c3\",\"dst_cid\":"
                              "\"8394c8f03e515708\"}",
                              "connection_started");
        NS_TEST_EXPECT_MSG_EQ(rec[2].Get("data")->Dump(), "{\"new\":\"attempted\"}", "state");
        NS_TEST_EXPECT_MSG_EQ(rec[3].Get("data")->Dump(),
                              "{\"owner\":\"local\",\"initial_max_data\":1048576,"
                              "\"disable_active_migration\":false,\"tls_cipher\":"
                              "\"AES_128_GCM_SHA256\",\"initial_source_connection_id\":"
                              "\"c0c1c2c3\"}",
                              "parameters_set");
        NS_TEST_EXPECT_MSG_EQ(rec[4].Get("data")->Dump(),
                              "{\"key_type\":\"client_initial_secret\",\"trigger\":\"tls\"}",
                              "key_updated");

        // packet_sent with every frame
        const JsonValue& sent = rec[5];
        NS_TEST_EXPECT_MSG_EQ(sent.Num("time"), "500.001", "time in ms, microsecond precision");
        d = sent.Get("data");
        NS_TEST_EXPECT_MSG_EQ(d->Get("header")->Dump(),
                              "{\"packet_type\":\"initial\",\"packet_number\":0,\"version\":"
                              "\"00000001\",\"dcid\":\"8394c8f03e515708\",\"scid\":\"c0c1c2c3\"}",
                              "header");
        NS_TEST_EXPECT_MSG_EQ(d->Get("raw")->Dump(),
                              "{\"length\":1200,\"payload_length\":1162}",
                              "raw");
        NS_TEST_EXPECT_MSG_EQ(d->Get("is_coalesced")->Dump(), "true", "is_coalesced");
        NS_TEST_EXPECT_MSG_EQ(d->Num("datagram_id"), "0", "datagram_id");
        const JsonValue* frames = d->Get("frames");
        NS_TEST_ASSERT_MSG_NE(frames, nullptr, "frames");
        const std::vector<std::string> expected = {
            "{\"frame_type\":\"padding\",\"length\":37,\"payload_length\":37}",
            "{\"frame_type\":\"ping\"}",
            "{\"frame_type\":\"ack\",\"ack_delay\":3.25,\"acked_ranges\":[[0,5],[7,9],[12]]}",
            "{\"frame_type\":\"ack\",\"ack_delay\":3.25,\"acked_ranges\":[[1]],\"ect1\":20,"
            "\"ect0\":10,\"ce\":30}",
            "{\"frame_type\":\"reset_stream\",\"stream_id\":4,\"error_code\":257,"
            "\"final_size\":5000}",
            "{\"frame_type\":\"stop_sending\",\"stream_id\":8,\"error_code\":7}",
            "{\"frame_type\":\"crypto\",\"offset\":100,\"length\":250}",
            "{\"frame_type\":\"new_token\",\"token\":{\"length\":4,\"data\":\"deadbeef\"}}",
            "{\"frame_type\":\"stream\",\"stream_id\":0,\"offset\":0,\"length\":1000}",
            "{\"frame_type\":\"stream\",\"stream_id\":4,\"offset\":1000,\"length\":10,"
            "\"fin\":true}",
            "{\"frame_type\":\"max_data\",\"maximum\":1048576}",
            "{\"frame_type\":\"max_stream_data\",\"stream_id\":4,\"maximum\":65536}",
            "{\"frame_type\":\"max_streams\",\"stream_type\":\"bidirectional\",\"maximum\":100}",
            "{\"frame_type\":\"max_streams\",\"stream_type\":\"unidirectional\",\"maximum\":3}",
            "{\"frame_type\":\"data_blocked\",\"limit\":2000}",
            "{\"frame_type\":\"stream_data_blocked\",\"stream_id\":8,\"limit\":3000}",
            "{\"frame_type\":\"streams_blocked\",\"stream_type\":\"bidirectional\",\"limit\":101}",
            "{\"frame_type\":\"streams_blocked\",\"stream_type\":\"unidirectional\",\"limit\":4}",
            "{\"frame_type\":\"new_connection_id\",\"sequence_number\":2,\"retire_prior_to\":1,"
            "\"connection_id_length\":8,\"connection_id\":\"0102030405060708\","
            "\"stateless_reset_token\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\"}",
            "{\"frame_type\":\"retire_connection_id\",\"sequence_number\":1}",
            "{\"frame_type\":\"path_challenge\",\"data\":\"1122334455667788\"}",
            "{\"frame_type\":\"path_response\",\"data\":\"1122334455667788\"}",
            "{\"frame_type\":\"connection_close\",\"error_space\":\"transport\",\"error_code\":"
            "\"protocol_violation\",\"raw_error_code\":10,\"reason\":\"bad \"frame\"\n\","
            "\"trigger_frame_type\":\"stream\"}",
            "{\"frame_type\":\"connection_close\",\"error_space\":\"application\",\"error_code\":"
            "256,\"raw_error_code\":256,\"reason\":\"\"}",
            "{\"frame_type\":\"handshake_done\"}",
            "{\"frame_type\":\"unknown\",\"raw_frame_type\":48}",
        };
        NS_TEST_ASSERT_MSG_EQ(frames->m_items.size(), expected.size(), "one entry per frame");
        for (size_t i = 0; i < expected.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(frames->m_items[i].Dump(), expected[i], "frame " << i);
        }

        // packet_received through Begin/AddFrame/End
        NS_TEST_EXPECT_MSG_EQ(rec[6].Num("time"), "1000", "time");
        NS_TEST_EXPECT_MSG_EQ(rec[6].Get("data")->Dump(),
                              "{\"header\":{\"packet_type\":\"1RTT\",\"packet_number\":77,"
                              "\"dcid\":\"c0c1c2c3\"},\"raw\":{\"length\":60},\"trigger\":"
                              "\"keys_available\",\"frames\":[{\"frame_type\":\"ack\","
                              "\"ack_delay\":25,\"acked_ranges\":[[0,5],[7,9],[12]]},"
                              "{\"frame_type\":\"stream\",\"stream_id\":4,\"offset\":1000,"
                              "\"length\":10,\"fin\":true}]}",
                              "packet_received");
        NS_TEST_EXPECT_MSG_EQ(rec[7].Get("data")->Dump(),
                              "{\"header\":{\"packet_type\":\"retry\"},\"trigger\":\"pto_probe\","
                              "\"frames\":[]}",
                              "retry without packet number");
        NS_TEST_EXPECT_MSG_EQ(rec[8].Get("data")->Dump(),
                              "{\"header\":{\"packet_type\":\"handshake\"},\"raw\":{\"length\":"
                              "1252},\"trigger\":\"duplicate\"}",
                              "packet_dropped");
        NS_TEST_EXPECT_MSG_EQ(rec[9].Get("data")->Dump(),
                              "{\"packet_number_space\":\"application_data\",\"packet_numbers\":"
                              "[0,1,3]}",
                              "packets_acked");
        NS_TEST_EXPECT_MSG_EQ(rec[10].Get("data")->Dump(),
                              "{\"smoothed_rtt\":33.333,\"congestion_window\":12000,"
                              "\"bytes_in_flight\":0}",
                              "metrics_updated: only the fields set");
        NS_TEST_EXPECT_MSG_EQ(rec[11].Get("data")->Dump(),
                              "{\"header\":{\"packet_type\":\"1RTT\",\"packet_number\":5},"
                              "\"trigger\":\"time_threshold\"}",
                              "packet_lost");
        NS_TEST_EXPECT_MSG_EQ(rec[12].Get("data")->Dump(),
                              "{\"old\":\"slow_start\",\"new\":\"recovery\",\"trigger\":"
                              "\"persistent_congestion\"}",
                              "congestion_state_updated");
        NS_TEST_EXPECT_MSG_EQ(rec[13].Get("data")->Dump(),
                              "{\"key_type\":\"server_1rtt_secret\",\"generation\":3,"
                              "\"trigger\":\"local_update\"}",
                              "key_discarded");
        NS_TEST_EXPECT_MSG_EQ(rec[14].Get("data")->Dump(),
                              "{\"owner\":\"remote\",\"old\":\"8394c8f03e515708\",\"new\":"
                              "\"aabb\"}",
                              "connection_id_updated");
        NS_TEST_EXPECT_MSG_EQ(rec[15].Get("data")->Dump(), "{\"state\":true}", "spin bit");

        const std::string newPath =
            "{\"local\":\"10.3.3.3:50000\",\"remote\":\"10.2.2.2:443\",\"path_id\":1}";
        const std::string oldPath =
            "{\"local\":\"10.1.1.1:49153\",\"remote\":\"10.2.2.2:443\",\"path_id\":0}";
        for (size_t i = 16; i <= 19; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(rec[i].Get("data")->Dump(),
                                  "{\"path\":" + newPath + ",\"data\":\"01020304050607ff\"}",
                                  "path data event " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(rec[16].Num("time"), "2000", "time");
        NS_TEST_EXPECT_MSG_EQ(rec[20].Get("data")->Dump(),
                              "{\"path\":" + newPath + ",\"validation_time\":20.5}",
                              "path_validated");
        NS_TEST_EXPECT_MSG_EQ(rec[21].Get("data")->Dump(),
                              "{\"path\":{\"local\":\"10.4.4.4:1\",\"remote\":\"10.2.2.2:443\"},"
                              "\"reason\":\"timeout\"}",
                              "path_validation_failed");
        NS_TEST_EXPECT_MSG_EQ(rec[22].Get("data")->Dump(),
                              "{\"local\":\"10.2.2.2:443\",\"old\":\"10.9.9.9:1000\",\"new\":"
                              "\"10.9.9.9:2000\",\"change\":\"port_only\"}",
                              "peer_address_changed");
        NS_TEST_EXPECT_MSG_EQ(rec[23].Get("data")->Dump(),
                              "{\"old\":" + oldPath + ",\"new\":" + newPath +
                                  ",\"trigger\":\"local_address_change\"}",
                              "migration_started");
        NS_TEST_EXPECT_MSG_EQ(rec[24].Get("data")->Dump(),
                              "{\"old\":" + oldPath + ",\"new\":" + newPath + "}",
                              "active_path_switched");
        NS_TEST_EXPECT_MSG_EQ(rec[25].Get("data")->Dump(),
                              "{\"path\":" + newPath + ",\"duration\":21}",
                              "migration_completed");
        NS_TEST_EXPECT_MSG_EQ(rec[26].Get("data")->Dump(),
                              "{\"from\":" + newPath + ",\"to\":" + oldPath +
                                  ",\"reason\":\"path_validation_failed\"}",
                              "fallback");
        NS_TEST_EXPECT_MSG_EQ(rec[27].Get("data")->Dump(),
                              "{\"path\":" + newPath +
                                  ",\"bytes_received\":100,\"bytes_sent\":300,\"limit\":300,"
                                  "\"blocked_bytes\":1200}",
                              "amplification_limited");
        NS_TEST_EXPECT_MSG_EQ(rec[28].Num("time"), "3000", "time");
        NS_TEST_EXPECT_MSG_EQ(rec[28].Get("data")->Dump(),
                              "{\"owner\":\"local\",\"connection_code\":\"crypto_error_0x178\","
                              "\"reason\":\"no application protocol\",\"trigger\":\"error\"}",
                              "connection_closed");
        std::remove(path.c_str());
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief Same calls, same bytes: two file traces and a stream trace are byte-identical;
 * and the one-call packet API writes what Begin/AddFrame/End writes.
 */
class QlogDeterminismTestCase : public QlogTestBase
{
  public:
    QlogDeterminismTestCase()
        : QlogTestBase("qlog: identical runs give byte-identical files")
    {
    }

  private:
    void DoRun() override
    {
        std::string texts[2];
        for (int run = 0; run < 2; ++run)
        {
            const std::string path =
                CreateTempDirFilename("quic-qlog-determinism-" + std::to_string(run) + ".sqlog");
            QuicQlogWriter w;
            NS_TEST_ASSERT_MSG_EQ(
                w.Open(path, QuicQlogVantagePoint::CLIENT, "determinism", Cid("0011"), Seconds(1)),
                true,
                w.GetLastError());
            WriteEverything(w);
            // Enough packets to cross the flush threshold several times.
            const std::vector<QuicFrame> frames = AllFrames();
            QuicQlogPacketHeader h;
            h.m_dcid = Cid("0011");
            for (uint64_t pn = 0; pn < 2000; ++pn)
            {
                h.m_packetNumber = pn;
                h.m_length = 1200 + pn % 7;
                w.PacketSent(Seconds(5) + NanoSeconds(pn * 777), h, frames.data(), frames.size());
            }
            w.Close();
            texts[run] = ReadFile(path);
            std::remove(path.c_str());
        }
        NS_TEST_EXPECT_MSG_GT(texts[0].size(), 4 * QuicQlogWriter::FLUSH_THRESHOLD, "size");
        NS_TEST_EXPECT_MSG_EQ((texts[0] == texts[1]), true, "byte-identical files");

        std::ostringstream os;
        {
            QuicQlogWriter w;
            w.Open(&os, QuicQlogVantagePoint::CLIENT, "determinism", Cid("0011"), Seconds(1));
            WriteEverything(w);
        }
        NS_TEST_EXPECT_MSG_EQ((texts[0].compare(0, os.str().size(), os.str()) == 0),
                              true,
                              "stream output equals file output");

        // One-call API == Begin/AddFrame/End.
        std::ostringstream a;
        std::ostringstream b;
        QuicQlogWriter wa;
        QuicQlogWriter wb;
        wa.Open(&a, QuicQlogVantagePoint::SERVER, "x", Cid("01"), Time(0));
        wb.Open(&b, QuicQlogVantagePoint::SERVER, "x", Cid("01"), Time(0));
        const std::vector<QuicFrame> frames = AllFrames();
        QuicQlogPacketHeader h;
        h.m_packetNumber = 9;
        wa.PacketReceived(MilliSeconds(3), h, frames.data(), frames.size(), MilliSeconds(2));
        wb.BeginPacketReceived(MilliSeconds(3), h);
        for (const auto& f : frames)
        {
            wb.AddFrame(f, MilliSeconds(2));
        }
        // No EndPacket(): Close() completes the record.
        wa.Close();
        wb.Close();
        NS_TEST_EXPECT_MSG_EQ(a.str(), b.str(), "both packet APIs write the same record");
        std::vector<JsonValue> rec;
        ParseTrace(b.str(), rec);
        NS_TEST_EXPECT_MSG_EQ(rec.size(), 2, "header + packet");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief Reason phrases from the network: quotes, backslashes, control characters, every byte
 * value, ill-formed UTF-8 and a 10 kB random phrase all give valid JSON that decodes to the
 * expected text (valid UTF-8 kept, other bytes as U+0000-U+00FF).
 */
class QlogHostileStringTestCase : public QlogTestBase
{
  public:
    QlogHostileStringTestCase()
        : QlogTestBase("qlog: hostile reason phrases are escaped into valid JSON")
    {
    }

  private:
    void DoRun() override
    {
        // Escaper unit checks.
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"plain", "\"plain\""},
            {"a\"b\\c/d", "\"a\\\"b\\\\c/d\""},
            {std::string("\0\x01\x1e\x1f\x7f", 5), "\"\\u0000\\u0001\\u001e\\u001f\\u007f\""},
            {"\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""},
            {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
             "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
            {"\xc0\xaf", "\"\\u00c0\\u00af\""},                       // overlong '/'
            {"\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\""},            // UTF-16 surrogate
            {"\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""}, // above U+10FFFF
            {"\xe2\x82", "\"\\u00e2\\u0082\""},                       // truncated
            {"\x80x\xff", "\"\\u0080x\\u00ff\""},                     // stray bytes
        };
        for (const auto& c : cases)
        {
            std::string out;
            QuicQlogWriter::AppendJsonString(out, c.first);
            NS_TEST_EXPECT_MSG_EQ(out, c.second, "escaping");
        }

        std::vector<std::string> reasons;
        reasons.emplace_back("\"quoted\" \\ back\\slash \n new\r\nline \t tab");
        std::string all;
        for (int b = 0; b < 256; ++b)
        {
            all.push_back(static_cast<char>(b));
        }
        reasons.push_back(all);
        reasons.emplace_back(
            "\xc3\xa9\xc3\x28\xe2\x28\xa1\xf0\x28\x8c\xbc\xed\xbf\xbf\xef\xbf\xbd");
        std::string big;
        uint64_t x = 42;
        for (size_t i = 0; i < 10240; ++i)
        {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            big.push_back(static_cast<char>(x >> 56));
        }
        reasons.push_back(big);

        std::ostringstream os;
        QuicQlogWriter w;
        NS_TEST_ASSERT_MSG_EQ(
            w.Open(&os, QuicQlogVantagePoint::SERVER, all, Cid("ff"), Time(0), big),
            true,
            "open with hostile title and name");
        for (const auto& reason : reasons)
        {
            QuicFrame close;
            close.m_type = QuicFrameType::CONNECTION_CLOSE_APP;
            close.m_data = reinterpret_cast<const uint8_t*>(reason.data());
            close.m_dataLength = reason.size();
            QuicQlogPacketHeader h;
            h.m_packetNumber = 1;
            w.PacketReceived(MilliSeconds(1), h, &close, 1);
            QuicQlogConnectionClose c;
            c.m_owner = QuicQlogOwner::REMOTE;
            c.m_applicationCode = 1;
            c.m_reason = reason;
            w.ConnectionClosed(MilliSeconds(1), c);
            w.ParametersSet(MilliSeconds(1),
                            QuicQlogOwner::REMOTE,
                            {QuicQlogParameter::String(reason, reason)});
            w.PathValidationFailed(MilliSeconds(1), Path(reason, reason), reason);
        }
        w.Close();

        std::vector<JsonValue> rec;
        if (!ParseTrace(os.str(), rec))
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(rec.size(), 1 + 4 * reasons.size(), "records");
        NS_TEST_EXPECT_MSG_EQ(rec[0].Str("title"), ExpectedDecoded(all), "title decodes");
        for (size_t i = 0; i < reasons.size(); ++i)
        {
            const std::string expected = ExpectedDecoded(reasons[i]);
            const JsonValue* frames = rec[1 + 4 * i].Get("data")->Get("frames");
            NS_TEST_ASSERT_MSG_EQ(frames->m_items.size(), 1, "one frame");
            NS_TEST_EXPECT_MSG_EQ((frames->m_items[0].Str("reason") == expected),
                                  true,
                                  "frame reason " << i << " decodes to the expected text");
            NS_TEST_EXPECT_MSG_EQ((rec[2 + 4 * i].Get("data")->Str("reason") == expected),
                                  true,
                                  "connection_closed reason " << i);
            NS_TEST_EXPECT_MSG_EQ((rec[3 + 4 * i].Get("data")->Str(expected) == expected),
                                  true,
                                  "parameter name and value " << i);
            NS_TEST_EXPECT_MSG_EQ((rec[4 + 4 * i].Get("data")->Str("reason") == expected),
                                  true,
                                  "path_validation_failed reason " << i);
        }
        // The all-bytes phrase: the raw file holds no control byte inside records.
        const std::string text = os.str();
        size_t controls = 0;
        for (char c : text)
        {
            controls += (static_cast<uint8_t>(c) < 0x20 && c != '\x1e' && c != '\n') ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(controls, 0, "no raw control characters");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief Failures are reported, never fatal: an unwritable path or a null/failed stream makes
 * Open() return false with a message; a closed writer ignores every call.
 */
class QlogOpenFailureTestCase : public TestCase
{
  public:
    QlogOpenFailureTestCase()
        : TestCase("qlog: unwritable path returns false without crashing")
    {
    }

  private:
    void DoRun() override
    {
        QuicQlogWriter w;
        const std::string bad = "/nonexistent-quic-qlog-dir/sub/trace.sqlog";
        NS_TEST_EXPECT_MSG_EQ(w.Open(bad, QuicQlogVantagePoint::CLIENT, "t", Cid("01"), Time(0)),
                              false,
                              "unwritable path");
        NS_TEST_EXPECT_MSG_EQ(w.IsOpen(), false, "not open");
        NS_TEST_EXPECT_MSG_EQ((w.GetLastError().find(bad) != std::string::npos),
                              true,
                              "message names the file: " << w.GetLastError());

        // Every call on a closed writer is a no-op.
        const std::vector<QuicFrame> frames = AllFrames();
        WriteEverything(w);
        w.BeginPacketSent(Seconds(1), QuicQlogPacketHeader());
        w.AddFrame(frames[0]);
        w.EndPacket();
        w.Flush();
        w.Close();
        NS_TEST_EXPECT_MSG_EQ(w.GetEventCount(), 0, "nothing written");

        NS_TEST_EXPECT_MSG_EQ(w.Open(static_cast<std::ostream*>(nullptr),
                                     QuicQlogVantagePoint::CLIENT,
                                     "t",
                                     Cid("01"),
                                     Time(0)),
                              false,
                              "null stream");
        std::ostringstream failed;
        failed.setstate(std::ios::badbit);
        NS_TEST_EXPECT_MSG_EQ(
            w.Open(&failed, QuicQlogVantagePoint::CLIENT, "t", Cid("01"), Time(0)),
            false,
            "failed stream");
        NS_TEST_EXPECT_MSG_EQ(w.GetLastError().empty(), false, "message");

        // A directory is not a file either.
        NS_TEST_EXPECT_MSG_EQ(w.Open("/", QuicQlogVantagePoint::SERVER, "t", Cid("01"), Time(0)),
                              false,
                              "directory");

        // A stream that fails later stops the trace without crashing.
        std::ostringstream later;
        NS_TEST_ASSERT_MSG_EQ(w.Open(&later, QuicQlogVantagePoint::CLIENT, "t", Cid("01"), Time(0)),
                              true,
                              "open");
        later.setstate(std::ios::badbit);
        WriteEverything(w);
        w.Flush();
        NS_TEST_EXPECT_MSG_EQ(w.IsOpen(), false, "stopped after a write error");
        NS_TEST_EXPECT_MSG_EQ(w.GetLastError().empty(), false, "write error reported");
        WriteEverything(w); // still harmless
        w.Close();
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief Fixed-point time formatting, buffering (nothing reaches the stream before the flush
 * threshold, Flush() or Close()), and address formatting for the migration events.
 */
class QlogFormattingTestCase : public TestCase
{
  public:
    QlogFormattingTestCase()
        : TestCase("qlog: millisecond formatting, buffering, address text")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::pair<Time, std::string>> times = {
            {Time(0), "0"},
            {NanoSeconds(1), "0"},
            {NanoSeconds(499), "0"},
            {NanoSeconds(500), "0.001"},
            {MicroSeconds(1500), "1.5"},
            {NanoSeconds(1234567), "1.235"},
            {MicroSeconds(100), "0.1"},
            {MicroSeconds(10), "0.01"},
            {Seconds(10), "10000"},
            {MilliSeconds(-2), "-2"},
            {NanoSeconds(-400), "0"},
            {NanoSeconds(-1500), "-0.002"},
            {Seconds(86400) + MicroSeconds(1), "86400000.001"},
        };
        for (const auto& t : times)
        {
            std::string s;
            QuicQlogWriter::AppendMilliseconds(s, t.first);
            NS_TEST_EXPECT_MSG_EQ(s, t.second, "ms of " << t.first.GetNanoSeconds() << " ns");
        }

        std::ostringstream os;
        QuicQlogWriter w;
        w.Open(&os, QuicQlogVantagePoint::CLIENT, "buffer", Cid("01"), Time(0));
        w.SpinBitUpdated(MilliSeconds(1), true);
        NS_TEST_EXPECT_MSG_EQ(os.str().size(), 0, "buffered: nothing written yet");
        w.Flush();
        const size_t afterFlush = os.str().size();
        NS_TEST_EXPECT_MSG_GT(afterFlush, 0, "Flush() writes");
        QuicQlogPacketHeader h;
        h.m_packetNumber = 0;
        QuicFrame ping = QuicFrame::Ping();
        while (os.str().size() == afterFlush)
        {
            w.PacketSent(MilliSeconds(2), h, &ping, 1);
            NS_TEST_ASSERT_MSG_LT(w.GetEventCount(), 10000, "threshold reached");
        }
        NS_TEST_EXPECT_MSG_GT(os.str().size(),
                              afterFlush + QuicQlogWriter::FLUSH_THRESHOLD - 1,
                              "written out at the threshold");
        w.Close();
        NS_TEST_EXPECT_MSG_EQ(os.str().back(), '\n', "complete after Close()");

        NS_TEST_EXPECT_MSG_EQ(
            QuicQlogWriter::FormatAddress(InetSocketAddress(Ipv4Address("10.1.2.3"), 4433)),
            "10.1.2.3:4433",
            "IPv4");
        NS_TEST_EXPECT_MSG_EQ(
            QuicQlogWriter::FormatAddress(Inet6SocketAddress(Ipv6Address("2001:db8::1"), 443)),
            "[2001:db8::1]:443",
            "IPv6");
        std::ostringstream v6;
        QuicQlogWriter w6;
        w6.Open(&v6, QuicQlogVantagePoint::CLIENT, "v6", Cid("01"), Time(0));
        w6.ConnectionStarted(MilliSeconds(1),
                             Inet6SocketAddress(Ipv6Address("2001:db8::1"), 50000),
                             Inet6SocketAddress(Ipv6Address("2001:db8::2"), 443),
                             Cid("01"),
                             Cid("02"));
        w6.Close();
        const std::string v6Text = v6.str();
        const size_t eventStart = v6Text.find("\x1e", 1);
        JsonValue v6Event;
        std::string error;
        NS_TEST_ASSERT_MSG_NE(eventStart, std::string::npos, "event written");
        NS_TEST_ASSERT_MSG_EQ(
            StrictJsonParser::Parse(v6Text.substr(eventStart + 1), v6Event, error),
            true,
            error);
        NS_TEST_EXPECT_MSG_EQ(v6Event.Get("data")->Dump(),
                              "{\"ip_version\":\"v6\",\"src_ip\":\"2001:db8::1\",\"dst_ip\":"
                              "\"2001:db8::2\",\"protocol\":\"QUIC\",\"src_port\":50000,"
                              "\"dst_port\":443,\"src_cid\":\"01\",\"dst_cid\":\"02\"}",
                              "connection_started from IPv6 socket addresses");

        NS_TEST_EXPECT_MSG_EQ(std::string(QuicQlogWriter::TransportErrorQlogName(0x10)),
                              "no_viable_path",
                              "error name");
        NS_TEST_EXPECT_MSG_EQ((QuicQlogWriter::TransportErrorQlogName(0x11) == nullptr),
                              true,
                              "no name");

        QuicPacketHeader ph;
        ph.m_type = QuicPacketType::HANDSHAKE;
        ph.m_dcid = Cid("0a0b");
        ph.m_scid = Cid("0c");
        const QuicQlogPacketHeader qh = QuicQlogPacketHeader::FromHeader(ph, 17);
        NS_TEST_EXPECT_MSG_EQ((qh.m_packetNumber == uint64_t{17} && qh.m_scid == Cid("0c") &&
                               qh.m_version == QUIC_VERSION_1),
                              true,
                              "FromHeader, long header");
        ph.m_type = QuicPacketType::ONE_RTT;
        const QuicQlogPacketHeader sh = QuicQlogPacketHeader::FromHeader(ph, 18);
        NS_TEST_EXPECT_MSG_EQ((!sh.m_scid && !sh.m_version && sh.m_dcid == Cid("0a0b")),
                              true,
                              "FromHeader, short header");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief The quic-qlog test suite.
 */
class QuicQlogTestSuite : public TestSuite
{
  public:
    QuicQlogTestSuite()
        : TestSuite("quic-qlog", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QlogHeaderTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QlogAllEventsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QlogDeterminismTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QlogHostileStringTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QlogOpenFailureTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QlogFormattingTestCase, QUIC_TEST_QUICK);
    }
};

/// Static instance registering the suite.
static QuicQlogTestSuite g_quicQlogTestSuite;

} // namespace
