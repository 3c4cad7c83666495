/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-migration-scenario.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/csma-helper.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/global-value.h"
#include "ns3/icmpv6-l4-protocol.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-interface-container.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-address-helper.h"
#include "ns3/ipv6-interface-container.h"
#include "ns3/log.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/queue-size.h"
#include "ns3/queue.h"
#include "ns3/quic-attacker-helper.h"
#include "ns3/quic-attacker.h"
#include "ns3/quic-congestion-control.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-migration-topology.h"
#include "ns3/quic-packet-header.h"
#include "ns3/quic-path.h"
#include "ns3/quic-sink-application.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicMigrationScenario");

const char* const QUIC_MIGRATION_VERSION = "0.1.0";
const char* const QUIC_MIGRATION_CLIENT_SECOND_ADDRESS = "10.1.1.101";

namespace fs = std::filesystem;

namespace
{

// =============================================================================================
// Text parsing
// =============================================================================================

/// Strict unsigned integer: digits only, no sign, no overflow, at most max.
bool
ParseUnsigned(const std::string& text, uint64_t max, uint64_t& value)
{
    if (text.empty() || text.size() > 20 ||
        text.find_first_not_of("0123456789") != std::string::npos)
    {
        return false;
    }
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
    {
        return false;
    }
    value = v;
    return true;
}

/// Strict finite decimal number, whole text consumed.
bool
ParseDouble(const std::string& text, double& value)
{
    static const std::regex re("^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$");
    if (!std::regex_match(text, re))
    {
        return false;
    }
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v))
    {
        return false;
    }
    value = v;
    return true;
}

/// Boolean in the usual spellings.
bool
ParseBool(const std::string& text, bool& value)
{
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "1" || t == "true" || t == "yes" || t == "on")
    {
        value = true;
        return true;
    }
    if (t == "0" || t == "false" || t == "no" || t == "off")
    {
        value = false;
        return true;
    }
    return false;
}

/// Seconds with nine decimals from integer nanoseconds ("0.020000000").
std::string
FormatSeconds(int64_t ns)
{
    char buf[48];
    uint64_t mag = ns < 0 ? uint64_t(-(ns + 1)) + 1 : uint64_t(ns);
    std::snprintf(buf,
                  sizeof(buf),
                  "%s%" PRIu64 ".%09" PRIu64,
                  ns < 0 ? "-" : "",
                  mag / uint64_t(1000000000),
                  mag % uint64_t(1000000000));
    return buf;
}

/// Shortest decimal text that reads back as the same double (deterministic, valid JSON).
std::string
FormatDouble(double v)
{
    if (!std::isfinite(v))
    {
        return "null";
    }
    char buf[40];
    for (int precision = 1; precision <= 17; ++precision)
    {
        std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v)
        {
            break;
        }
    }
    return buf;
}

/// Human-readable duration for messages: "-5ms" style from ns.
std::string
DescribeTime(const Time& t)
{
    return FormatSeconds(t.GetNanoSeconds()) + " s";
}

// =============================================================================================
// Resolution of the QUIC knobs against the current attribute defaults
// =============================================================================================

/// The QUIC knobs after applying "0 / empty = attribute default".
struct ResolvedQuic
{
    uint32_t m_maxUdpPayloadSize{0}; //!< effective MaxUdpPayloadSize
    uint32_t m_certificateSize{0};   //!< effective CertificateSize
    TypeId m_congestionControl;      //!< effective CongestionControl
    Time m_initialRtt;               //!< effective InitialRtt
};

/// Current default (initial value) of an attribute of a TypeId.
Ptr<const AttributeValue>
AttributeDefault(TypeId tid, const std::string& attribute)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(attribute, &info))
    {
        return nullptr;
    }
    return info.initialValue;
}

/// Find the congestion-control TypeId for a name or a short form of it.
bool
LookupCongestionControl(const std::string& name, TypeId& tid)
{
    std::vector<std::string> candidates{name, "ns3::" + name, "ns3::Quic" + name};
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return std::tolower(c);
    });
    if (lower == "newreno" || lower == "new-reno" || lower == "reno")
    {
        candidates.emplace_back("ns3::QuicNewReno");
    }
    for (const auto& c : candidates)
    {
        TypeId t;
        if (TypeId::LookupByNameFailSafe(c, &t) && t.IsChildOf(QuicCongestionOps::GetTypeId()) &&
            t.HasConstructor())
        {
            tid = t;
            return true;
        }
    }
    return false;
}

/// Names of the congestion-control TypeIds, for error messages.
std::string
CongestionControlNames()
{
    std::string names;
    for (uint32_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId t = TypeId::GetRegistered(i);
        if (t != QuicCongestionOps::GetTypeId() && t.IsChildOf(QuicCongestionOps::GetTypeId()) &&
            t.HasConstructor())
        {
            names += (names.empty() ? "" : ", ") + t.GetName();
        }
    }
    return names;
}

/**
 * Resolve the QUIC knobs; returns an error message or "".
 */
std::string
ResolveQuic(const ScenarioConfig& c, ResolvedQuic& r)
{
    TypeId tid = QuicConnection::GetTypeId();
    if (c.m_maxUdpPayloadSize != 0)
    {
        if (c.m_maxUdpPayloadSize < 1200 || c.m_maxUdpPayloadSize > 16383)
        {
            return "invalid max-udp-payload-size " + std::to_string(c.m_maxUdpPayloadSize) +
                   ": must be in [1200, 16383] (RFC 9000 §14, §18.2)";
        }
        r.m_maxUdpPayloadSize = c.m_maxUdpPayloadSize;
    }
    else
    {
        auto v = DynamicCast<const UintegerValue>(AttributeDefault(tid, "MaxUdpPayloadSize"));
        r.m_maxUdpPayloadSize = v ? uint32_t(v->Get()) : 1252;
    }
    if (c.m_certificateSize != 0)
    {
        if (c.m_certificateSize < 600 || c.m_certificateSize > 60000)
        {
            return "invalid certificate-size " + std::to_string(c.m_certificateSize) +
                   ": must be in [600, 60000] bytes";
        }
        r.m_certificateSize = c.m_certificateSize;
    }
    else
    {
        auto v = DynamicCast<const UintegerValue>(AttributeDefault(tid, "CertificateSize"));
        r.m_certificateSize = v ? uint32_t(v->Get()) : 1000;
    }
    if (!c.m_congestionControl.empty())
    {
        if (!LookupCongestionControl(c.m_congestionControl, r.m_congestionControl))
        {
            return "unknown congestion control '" + c.m_congestionControl +
                   "' (cc): known: " + CongestionControlNames();
        }
    }
    else
    {
        auto v = DynamicCast<const TypeIdValue>(AttributeDefault(tid, "CongestionControl"));
        r.m_congestionControl = v ? v->Get() : QuicCongestionOps::GetTypeId();
    }
    if (!c.m_initialRtt.IsZero())
    {
        if (c.m_initialRtt < MilliSeconds(1) || c.m_initialRtt > Seconds(10))
        {
            return "invalid initial-rtt " + DescribeTime(c.m_initialRtt) +
                   ": must be in [1 ms, 10 s]";
        }
        r.m_initialRtt = c.m_initialRtt;
    }
    else
    {
        auto v = DynamicCast<const TimeValue>(AttributeDefault(tid, "InitialRtt"));
        r.m_initialRtt = v ? v->Get() : MilliSeconds(333);
    }
    return "";
}

// =============================================================================================
// Output directory
// =============================================================================================

/// Absolute, normalised form of the output directory (never written into outputs).
fs::path
NormalisedOutputPath(const std::string& dir)
{
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(dir), ec).lexically_normal();
    if (p.has_filename() == false && p.has_parent_path() && p != p.root_path())
    {
        p = p.parent_path();
    }
    return p;
}

/// Whether an output directory could be created and written; "" or a message.
std::string
CheckOutputDirectory(const std::string& dir)
{
    if (dir.empty())
    {
        return "invalid out: the output directory must not be empty";
    }
    fs::path p = NormalisedOutputPath(dir);
    if (p == p.root_path())
    {
        return "invalid out '" + dir + "': the root directory cannot be an output directory";
    }
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (fs::exists(st))
    {
        if (!fs::is_directory(st))
        {
            return "cannot use output directory '" + dir + "': it exists and is not a directory";
        }
        if (::access(p.c_str(), W_OK | X_OK) != 0)
        {
            return "cannot use output directory '" + dir + "': not writable";
        }
        // The temporary directory is created next to it.
        fs::path parent = p.parent_path();
        if (::access(parent.c_str(), W_OK | X_OK) != 0)
        {
            return "cannot use output directory '" + dir + "': its parent '" + parent.string() +
                   "' is not writable";
        }
        return "";
    }
    // Walk up to the nearest existing ancestor.
    fs::path q = p.parent_path();
    while (true)
    {
        fs::file_status qs = fs::status(q, ec);
        if (fs::exists(qs))
        {
            if (!fs::is_directory(qs))
            {
                return "cannot create output directory '" + dir + "': '" + q.string() +
                       "' is not a directory";
            }
            if (::access(q.c_str(), W_OK | X_OK) != 0)
            {
                return "cannot create output directory '" + dir + "': '" + q.string() +
                       "' is not writable";
            }
            return "";
        }
        if (q == q.root_path() || !q.has_parent_path())
        {
            return "cannot create output directory '" + dir + "': no existing parent directory";
        }
        q = q.parent_path();
    }
}

/// The output files of this module in a directory, to replace on a new run.
bool
IsOwnedOutput(const std::string& name, const std::string& pcapPrefix)
{
    auto endsWith = [&name](const std::string& s) {
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    if (name == "summary.json" || name == "keylog.txt")
    {
        return true;
    }
    if (endsWith(".pcap") && name.compare(0, pcapPrefix.size() + 1, pcapPrefix + "-") == 0)
    {
        return true;
    }
    return endsWith(".sqlog") || endsWith(".qlog");
}

/**
 * Staging directory of a run: created next to the target, removed on failure,
 * published by Commit().
 */
class OutputStage
{
  public:
    /// \param target the output directory (absolute)
    explicit OutputStage(const fs::path& target)
        : m_target(target)
    {
    }

    ~OutputStage()
    {
        Abort();
    }

    OutputStage(const OutputStage&) = delete;
    OutputStage& operator=(const OutputStage&) = delete;

    /// Create missing parents and the staging directory; "" or a message.
    std::string Create()
    {
        std::error_code ec;
        std::vector<fs::path> missing;
        for (fs::path q = m_target.parent_path(); !fs::exists(q, ec); q = q.parent_path())
        {
            missing.push_back(q);
            if (q == q.root_path())
            {
                break;
            }
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it)
        {
            if (!fs::create_directory(*it, ec))
            {
                return "cannot create directory '" + it->string() + "': " + ec.message();
            }
            m_createdParents.push_back(*it);
        }
        std::string tmpl =
            (m_target.parent_path() / ("." + m_target.filename().string() + ".tmp-XXXXXX"))
                .string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (::mkdtemp(buf.data()) == nullptr)
        {
            return "cannot create a temporary directory next to '" + m_target.string() +
                   "': " + std::strerror(errno);
        }
        m_stage = fs::path(buf.data());
        // mkdtemp creates 0700: give the directory the usual permissions (umask applies).
        mode_t mask = ::umask(0);
        ::umask(mask);
        fs::permissions(m_stage, static_cast<fs::perms>(0777 & ~mask), ec);
        return "";
    }

    /// \return the staging directory
    const fs::path& Path() const
    {
        return m_stage;
    }

    /// Publish the staged files; summary.json last. "" or a message.
    std::string Commit(const std::string& pcapPrefix)
    {
        std::error_code ec;
        if (!fs::exists(m_target, ec))
        {
            fs::rename(m_stage, m_target, ec);
            if (ec)
            {
                return "cannot rename '" + m_stage.string() + "' to '" + m_target.string() +
                       "': " + ec.message();
            }
            m_stage.clear();
            m_createdParents.clear();
            return "";
        }
        // Replace the outputs of a previous run: its summary.json first (an output directory
        // without summary.json is incomplete), then its other files.
        fs::remove(m_target / "summary.json", ec);
        for (const auto& entry : fs::directory_iterator(m_target, ec))
        {
            std::string name = entry.path().filename().string();
            if (entry.is_regular_file(ec) && IsOwnedOutput(name, pcapPrefix))
            {
                fs::remove(entry.path(), ec);
            }
        }
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(m_stage, ec))
        {
            if (entry.path().filename() != "summary.json")
            {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        files.push_back(m_stage / "summary.json");
        for (const auto& f : files)
        {
            fs::rename(f, m_target / f.filename(), ec);
            if (ec)
            {
                return "cannot move '" + f.string() + "' into '" + m_target.string() +
                       "': " + ec.message();
            }
        }
        fs::remove_all(m_stage, ec);
        m_stage.clear();
        m_createdParents.clear();
        return "";
    }

    /// Remove everything this stage created.
    void Abort()
    {
        std::error_code ec;
        if (!m_stage.empty())
        {
            fs::remove_all(m_stage, ec);
            m_stage.clear();
        }
        for (auto it = m_createdParents.rbegin(); it != m_createdParents.rend(); ++it)
        {
            fs::remove(*it, ec); // only succeeds when empty
        }
        m_createdParents.clear();
    }

  private:
    fs::path m_target;                      //!< the output directory
    fs::path m_stage;                       //!< the staging directory
    std::vector<fs::path> m_createdParents; //!< parents created by Create()
};

// =============================================================================================
// Attribute defaults applied for one run
// =============================================================================================

/// Sets attribute defaults and restores the previous ones when destroyed.
class ScopedDefaults
{
  public:
    ScopedDefaults() = default;
    ScopedDefaults(const ScopedDefaults&) = delete;
    ScopedDefaults& operator=(const ScopedDefaults&) = delete;

    ~ScopedDefaults()
    {
        for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it)
        {
            Config::SetDefaultFailSafe(it->first, *it->second);
        }
    }

    /**
     * \param tid the type
     * \param attribute its attribute
     * \param value the default for this run
     */
    void Set(TypeId tid, const std::string& attribute, const AttributeValue& value)
    {
        std::string full = tid.GetName() + "::" + attribute;
        Ptr<const AttributeValue> old = AttributeDefault(tid, attribute);
        if (!Config::SetDefaultFailSafe(full, value))
        {
            throw std::runtime_error("cannot set the default of " + full);
        }
        m_saved.emplace_back(full, old);
    }

  private:
    std::vector<std::pair<std::string, Ptr<const AttributeValue>>> m_saved; //!< previous values
};

// =============================================================================================
// Series
// =============================================================================================

/// Record one change of a traced value into a bounded series.
void
SeriesAdd(ScenarioSeries& s, uint32_t maxPoints, int64_t t, int64_t v)
{
    uint64_t index = s.m_changes++;
    if (index % s.m_stride != 0)
    {
        return;
    }
    if (s.m_timeNs.size() >= maxPoints)
    {
        // Keep every second point, record every second later change.
        size_t w = 0;
        for (size_t r = 0; r < s.m_timeNs.size(); r += 2)
        {
            s.m_timeNs[w] = s.m_timeNs[r];
            s.m_value[w] = s.m_value[r];
            ++w;
        }
        s.m_timeNs.resize(w);
        s.m_value.resize(w);
        s.m_stride *= 2;
        if (index % s.m_stride != 0)
        {
            return;
        }
    }
    s.m_timeNs.push_back(t);
    s.m_value.push_back(v);
}

/// Make sure the last change of a series is its last point.
void
SeriesFinish(ScenarioSeries& s, uint32_t maxPoints, int64_t t, int64_t v)
{
    if (!s.m_value.empty() && s.m_timeNs.back() == t && s.m_value.back() == v)
    {
        return;
    }
    if (s.m_timeNs.size() >= maxPoints && !s.m_timeNs.empty())
    {
        s.m_timeNs.back() = t;
        s.m_value.back() = v;
        return;
    }
    s.m_timeNs.push_back(t);
    s.m_value.push_back(v);
}

// =============================================================================================
// JSON writer
// =============================================================================================

/// A small pretty-printing JSON writer with deterministic output.
class JsonWriter
{
  public:
    /// Open an object (as a value).
    void BeginObject()
    {
        Prefix();
        m_out << '{';
        m_stack.push_back({false, false, 0});
    }

    /// Close the current object.
    void EndObject()
    {
        Close('}');
    }

    /**
     * Open an array (as a value).
     * \param compact print all elements on one line (number series)
     */
    void BeginArray(bool compact = false)
    {
        Prefix();
        m_out << '[';
        m_stack.push_back({true, compact, 0});
    }

    /// Close the current array.
    void EndArray()
    {
        Close(']');
    }

    /// \param key the next member's name
    void Key(const std::string& key)
    {
        Prefix();
        WriteString(key);
        m_out << ": ";
        m_afterKey = true;
    }

    /// \param v a string value
    void String(const std::string& v)
    {
        Prefix();
        WriteString(v);
    }

    /// \param v a raw number or literal
    void Raw(const std::string& v)
    {
        Prefix();
        m_out << v;
    }

    /// \param v integer
    void Int(int64_t v)
    {
        Raw(std::to_string(v));
    }

    /// \param v unsigned integer
    void Uint(uint64_t v)
    {
        Raw(std::to_string(v));
    }

    /// \param v boolean
    void Bool(bool v)
    {
        Raw(v ? "true" : "false");
    }

    /// null
    void Null()
    {
        Raw("null");
    }

    /// \param ns a time in ns, written as seconds with nine decimals
    void Seconds(int64_t ns)
    {
        Raw(FormatSeconds(ns));
    }

    /// \param ns a time in ns or -1, written as seconds or null
    void SecondsOrNull(int64_t ns)
    {
        if (ns < 0)
        {
            Null();
        }
        else
        {
            Seconds(ns);
        }
    }

    /// Shorthands for members.
    template <typename F>
    void Member(const std::string& key, F&& write)
    {
        Key(key);
        write();
    }

    /// \return the text, with a final newline
    std::string Str() const
    {
        return m_out.str() + "\n";
    }

  private:
    struct Level
    {
        bool m_array;
        bool m_compact;
        uint32_t m_count;
    };

    void Prefix()
    {
        if (m_afterKey)
        {
            m_afterKey = false;
            return;
        }
        if (m_stack.empty())
        {
            return;
        }
        Level& l = m_stack.back();
        if (l.m_count++ > 0)
        {
            m_out << ',';
        }
        if (l.m_compact)
        {
            if (l.m_count > 1)
            {
                m_out << ' ';
            }
            return;
        }
        m_out << '\n' << std::string(2 * m_stack.size(), ' ');
    }

    void Close(char c)
    {
        Level l = m_stack.back();
        m_stack.pop_back();
        if (l.m_count > 0 && !l.m_compact)
        {
            m_out << '\n' << std::string(2 * m_stack.size(), ' ');
        }
        m_out << c;
    }

    void WriteString(const std::string& s)
    {
        m_out << '"';
        for (unsigned char c : s)
        {
            switch (c)
            {
            case '"':
                m_out << "\\\"";
                break;
            case '\\':
                m_out << "\\\\";
                break;
            case '\n':
                m_out << "\\n";
                break;
            case '\r':
                m_out << "\\r";
                break;
            case '\t':
                m_out << "\\t";
                break;
            default:
                if (c < 0x20)
                {
                    char buf[8];
                    std::snprintf(buf, sizeof(buf), "\\u%04x", c);
                    m_out << buf;
                }
                else
                {
                    m_out << c;
                }
            }
        }
        m_out << '"';
    }

    std::ostringstream m_out;   //!< text so far
    std::vector<Level> m_stack; //!< open containers
    bool m_afterKey{false};     //!< a key was just written
};

// =============================================================================================
// The option table
// =============================================================================================

/// Setter of one option.
using OptionSetter =
    std::function<bool(ScenarioConfig&, const std::string& value, std::string& error)>;

/// One option: description and setter.
struct OptionEntry
{
    ScenarioOptionInfo m_info; //!< description
    OptionSetter m_set;        //!< setter
};

OptionSetter
TimeSetter(Time ScenarioConfig::*field, const char* name)
{
    return [field, name](ScenarioConfig& c, const std::string& v, std::string& e) {
        Time t;
        if (!ParseScenarioTime(v, t))
        {
            e = std::string("invalid ") + name + " '" + v +
                "': expected a time such as 20ms, 1.5s, 250us (a bare number is seconds)";
            return false;
        }
        c.*field = t;
        return true;
    };
}

template <typename T>
OptionSetter
UnsignedSetter(T ScenarioConfig::*field, const char* name, uint64_t max)
{
    return [field, name, max](ScenarioConfig& c, const std::string& v, std::string& e) {
        uint64_t x = 0;
        if (!ParseUnsigned(v, max, x))
        {
            e = std::string("invalid ") + name + " '" + v + "': expected an integer in [0, " +
                std::to_string(max) + "]";
            return false;
        }
        c.*field = static_cast<T>(x);
        return true;
    };
}

OptionSetter
BoolSetter(bool ScenarioConfig::*field, const char* name)
{
    return [field, name](ScenarioConfig& c, const std::string& v, std::string& e) {
        bool b = false;
        if (!ParseBool(v, b))
        {
            e = std::string("invalid ") + name + " '" + v + "': expected true or false";
            return false;
        }
        c.*field = b;
        return true;
    };
}

OptionSetter
StringSetter(std::string ScenarioConfig::*field)
{
    return [field](ScenarioConfig& c, const std::string& v, std::string&) {
        c.*field = v;
        return true;
    };
}

const std::vector<OptionEntry>&
OptionTable()
{
    static const std::vector<OptionEntry> table = [] {
        ScenarioConfig d;
        std::vector<OptionEntry> t;
        auto add = [&t](const std::string& name,
                        const std::string& help,
                        const std::string& def,
                        OptionSetter set,
                        bool isSwitch = false,
                        bool repeatable = false) {
            OptionEntry e;
            e.m_info.m_name = name;
            e.m_info.m_help = help;
            e.m_info.m_defaultValue = def;
            e.m_info.m_isSwitch = isSwitch;
            e.m_info.m_repeatable = repeatable;
            e.m_set = std::move(set);
            t.push_back(std::move(e));
        };
        add("data-rate",
            "link data rate, each direction (ns-3 DataRate: 10Mbps, 500kbps; bare number = bit/s)",
            "10Mbps",
            [](ScenarioConfig& c, const std::string& v, std::string& e) {
                if (!ParseScenarioDataRate(v, c.m_dataRateBps))
                {
                    e = "invalid data-rate '" + v + "': expected a rate such as 10Mbps, 500kbps";
                    return false;
                }
                return true;
            });
        add("delay", "one-way link delay", "20ms", TimeSetter(&ScenarioConfig::m_delay, "delay"));
        add("loss",
            "random packet loss probability in [0, 1) (ns-3 RateErrorModel, per packet)",
            "0",
            [](ScenarioConfig& c, const std::string& v, std::string& e) {
                if (!ParseDouble(v, c.m_lossRate))
                {
                    e = "invalid loss '" + v + "': expected a probability in [0, 1)";
                    return false;
                }
                return true;
            });
        add("loss-direction",
            "where loss applies: both, client-to-server (data) or server-to-client (ACKs); "
            "the error model sits on the receiving device",
            "both",
            [](ScenarioConfig& c, const std::string& v, std::string& e) {
                if (v == "both")
                {
                    c.m_lossDirection = ScenarioLossDirection::BOTH;
                }
                else if (v == "client-to-server")
                {
                    c.m_lossDirection = ScenarioLossDirection::CLIENT_TO_SERVER;
                }
                else if (v == "server-to-client")
                {
                    c.m_lossDirection = ScenarioLossDirection::SERVER_TO_CLIENT;
                }
                else
                {
                    e = "invalid loss-direction '" + v +
                        "': expected both, client-to-server or server-to-client";
                    return false;
                }
                return true;
            });
        add("queue",
            "DropTail device queue of each direction, packets",
            std::to_string(d.m_queuePackets),
            UnsignedSetter(&ScenarioConfig::m_queuePackets, "queue", 0xffffffffULL));
        add("mtu",
            "link MTU, bytes (must fit max-udp-payload-size + UDP + IP headers)",
            std::to_string(d.m_mtu),
            UnsignedSetter(&ScenarioConfig::m_mtu, "mtu", 0xffffffffULL));
        add("ipv6",
            "IPv6 addressing (2001:db8::/64) instead of IPv4 (10.1.1.0/24)",
            "false",
            BoolSetter(&ScenarioConfig::m_ipv6, "ipv6"),
            true);
        add("access",
            "client access networks 'TYPE:key=value,...;...' (TYPE p2p or csma; keys rate, "
            "delay, loss, queue, mtu, nat=0|1); empty = the single link above",
            "",
            StringSetter(&ScenarioConfig::m_access));
        add("bytes",
            "stream bytes the client sends to the server (0 = handshake only)",
            std::to_string(d.m_transferBytes),
            UnsignedSetter(&ScenarioConfig::m_transferBytes, "bytes", (1ULL << 62) - 1));
        add("start-time",
            "when the client connects",
            "100ms",
            TimeSetter(&ScenarioConfig::m_startTime, "start-time"));
        add("stop-time",
            "fixed simulation end; 0 = stop-margin after completion, at most max-time",
            "0",
            TimeSetter(&ScenarioConfig::m_stopTime, "stop-time"));
        add("stop-margin",
            "automatic stop: simulated time after the transfer (or handshake) completed",
            "1s",
            TimeSetter(&ScenarioConfig::m_stopMargin, "stop-margin"));
        add("max-time",
            "automatic stop: upper bound of the simulation time",
            "300s",
            TimeSetter(&ScenarioConfig::m_maxTime, "max-time"));
        add("seed",
            "ns-3 RNG seed (RngSeedManager::SetSeed)",
            std::to_string(d.m_seed),
            UnsignedSetter(&ScenarioConfig::m_seed, "seed", 0xffffffffULL));
        add("run",
            "ns-3 RNG run number (RngSeedManager::SetRun)",
            std::to_string(d.m_run),
            UnsignedSetter(&ScenarioConfig::m_run, "run", ~0ULL));
        add("out",
            "output directory (summary.json, pcaps, keylog.txt, qlogs)",
            d.m_outputDirectory,
            StringSetter(&ScenarioConfig::m_outputDirectory));
        add("pcap",
            "write <pcap-prefix>-<node>-<device>.pcap for each link device",
            "false",
            BoolSetter(&ScenarioConfig::m_pcap, "pcap"),
            true);
        add("pcap-prefix",
            "file name prefix of the pcaps",
            d.m_pcapPrefix,
            StringSetter(&ScenarioConfig::m_pcapPrefix));
        add("keylog",
            "write keylog.txt (NSS key log) so Wireshark/tshark decrypt the pcaps",
            "false",
            BoolSetter(&ScenarioConfig::m_keyLog, "keylog"),
            true);
        add("qlog",
            "write qlog 0.3 JSON-SEQ files (when the connection model supports it)",
            "false",
            BoolSetter(&ScenarioConfig::m_qlog, "qlog"),
            true);
        add("series-max-points",
            "largest number of points per time series in summary.json",
            std::to_string(d.m_seriesMaxPoints),
            UnsignedSetter(&ScenarioConfig::m_seriesMaxPoints, "series-max-points", 10000000));
        add("series-interval",
            "sampling interval of the per-path series (cwnd, RTT, bytes); 0 = none",
            "100ms",
            TimeSetter(&ScenarioConfig::m_seriesInterval, "series-interval"));
        add("preferred-address",
            "the server offers a preferred address (RFC 9000 §9.6), a second address on its "
            "interface (10.1.1.200 or 2001:db8::200); the client validates it after the "
            "handshake and moves there (single link only)",
            "false",
            BoolSetter(&ScenarioConfig::m_preferredAddress, "preferred-address"),
            true);
        add("max-udp-payload-size",
            "ns3::QuicConnection::MaxUdpPayloadSize, 1200..16383 (0 = attribute default)",
            "0",
            UnsignedSetter(&ScenarioConfig::m_maxUdpPayloadSize,
                           "max-udp-payload-size",
                           0xffffffffULL));
        add("certificate-size",
            "ns3::QuicConnection::CertificateSize, 600..60000 bytes (0 = attribute default)",
            "0",
            UnsignedSetter(&ScenarioConfig::m_certificateSize, "certificate-size", 0xffffffffULL));
        add("cc",
            "ns3::QuicConnection::CongestionControl TypeId, e.g. ns3::QuicNewReno or NewReno "
            "(empty = attribute default)",
            "",
            StringSetter(&ScenarioConfig::m_congestionControl));
        add("initial-rtt",
            "ns3::QuicConnection::InitialRtt, 1ms..10s (0 = attribute default)",
            "0",
            TimeSetter(&ScenarioConfig::m_initialRtt, "initial-rtt"));
        add(
            "event",
            "timeline event TIME:TYPE[:KEY=VALUE,...] (repeatable; types: rebind, migrate with "
            "policy=probe or policy=switch [and if=N with access]; with access: linkdown, "
            "linkup, renumber, route, each with if=N; and the attacks attack-copy-race with "
            "duration=TIME, relay=0|1, copies=N; attack-victim with duration=TIME; attack-inject "
            "with mode=random|short|guess|replay, count=N, interval=TIME, target=server|client; "
            "attack-reset with count=N, interval=TIME)",
            "",
            [](ScenarioConfig& c, const std::string& v, std::string& e) {
                ScenarioEvent ev;
                if (!ParseScenarioEvent(v, ev, e))
                {
                    return false;
                }
                c.m_events.push_back(ev);
                return true;
            },
            false,
            true);
        return t;
    }();
    return table;
}

// =============================================================================================
// Access networks and address changes (option access; events linkdown, linkup, renumber,
// route, migrate:if=N). Kept apart from the single-link code above and below.
// =============================================================================================

/// \param ev an event \return true for the types that act on an access network's interface
bool
IsAccessEvent(const ScenarioEvent& ev)
{
    return ev.m_type == "linkdown" || ev.m_type == "linkup" || ev.m_type == "renumber" ||
           ev.m_type == "route";
}

/**
 * \brief Check the `if` parameter of an event against the access networks.
 * \param c the configuration
 * \param ev the event
 * \return an empty string if fine, else a one-line message
 */
std::string
ValidateAccessEvent(const ScenarioConfig& c, const ScenarioEvent& ev)
{
    bool access = IsAccessEvent(ev);
    auto it = ev.m_params.find("if");
    std::string at = " event at " + DescribeTime(ev.m_time);
    if (!access && ev.m_type != "migrate")
    {
        return "";
    }
    std::vector<QuicAccessNetworkConfig> list;
    std::string error;
    bool haveAccess = !c.m_access.empty() &&
                      QuicMigrationTopologyHelper::ParseAccessList(c.m_access, list, error);
    if (!haveAccess)
    {
        if (access)
        {
            return "the " + ev.m_type + at + " needs access networks (option access)";
        }
        return it == ev.m_params.end()
                   ? ""
                   : "the migrate" + at + " has if= but no access networks are configured";
    }
    if (it == ev.m_params.end())
    {
        return "the " + ev.m_type + at + " needs the parameter if=N (access index)";
    }
    uint64_t index = 0;
    if (!ParseUnsigned(it->second, 0xffffffffULL, index) || index >= list.size())
    {
        return "invalid if '" + it->second + "' of the " + ev.m_type + at + ": expected 0.." +
               std::to_string(list.size() - 1);
    }
    return "";
}

/**
 * \brief Build the multi-access topology of option access.
 * \param cfg the configuration (m_access parses: validated before)
 * \param stage where pcaps go
 * \param nodes receives every node (client first)
 * \param client receives the client
 * \param server receives the server
 * \param clientIp receives the client's address on access 0
 * \param serverIp receives the server's address
 * \param changer receives the client's address changer
 * \param interfaces receives the client's interface index of each access
 * \param stream next random stream (advanced)
 */
void
BuildAccessTopology(const ScenarioConfig& cfg,
                    const fs::path& stage,
                    NodeContainer& nodes,
                    Ptr<Node>& client,
                    Ptr<Node>& server,
                    Address& clientIp,
                    Address& serverIp,
                    Ptr<QuicAddressChanger>& changer,
                    std::vector<uint32_t>& interfaces,
                    int64_t& stream)
{
    std::vector<QuicAccessNetworkConfig> list;
    std::string error;
    QuicMigrationTopologyHelper::ParseAccessList(cfg.m_access, list, error);
    QuicMigrationTopologyHelper helper;
    for (const auto& a : list)
    {
        helper.AddAccessNetwork(a);
    }
    QuicMigrationTopology t = helper.Install();
    stream += QuicMigrationTopologyHelper::AssignStreams(t, stream);
    nodes = t.GetNodes();
    client = t.m_client;
    server = t.m_server;
    clientIp = t.m_access[0].m_clientAddress;
    serverIp = t.m_serverAddress;
    changer = t.m_changer;
    for (const auto& a : t.m_access)
    {
        interfaces.push_back(a.m_clientInterface);
    }
    if (cfg.m_pcap)
    {
        // <prefix>-<node>-<device>.pcap for the client's access devices and the server.
        std::string prefix = (stage / cfg.m_pcapPrefix).string();
        PointToPointHelper p2p;
        CsmaHelper csma;
        for (const auto& a : t.m_access)
        {
            if (DynamicCast<PointToPointNetDevice>(a.m_clientDevice))
            {
                p2p.EnablePcap(prefix, a.m_clientDevice, false);
            }
            else
            {
                csma.EnablePcap(prefix, a.m_clientDevice, false);
            }
        }
        p2p.EnablePcap(prefix, t.m_serverDevice, false);
    }
}

/**
 * \brief Run an address-change event (linkdown, linkup, renumber, route) or a migrate event
 * with if=N.
 * \param ev the event (validated)
 * \param changer the client's address changer
 * \param interfaces the client's interface of each access
 * \param client the client connection (migrate only; may be null)
 * \param detail receives a one-line description
 * \return true if the action succeeded
 */
bool
ExecuteAccessEvent(const ScenarioEvent& ev,
                   Ptr<QuicAddressChanger> changer,
                   const std::vector<uint32_t>& interfaces,
                   Ptr<QuicConnection> client,
                   std::string& detail)
{
    uint64_t index = 0;
    auto it = ev.m_params.find("if");
    if (!changer || it == ev.m_params.end() || !ParseUnsigned(it->second, 0xffffffffULL, index) ||
        index >= interfaces.size())
    {
        detail = "no such access network";
        return false;
    }
    uint32_t ifIndex = interfaces[index];
    std::string what;
    bool ok = false;
    if (ev.m_type == "linkdown")
    {
        ok = changer->SetInterfaceDown(ifIndex);
        what = "interface down";
    }
    else if (ev.m_type == "linkup")
    {
        ok = changer->SetInterfaceUp(ifIndex);
        what = "interface up";
    }
    else if (ev.m_type == "renumber")
    {
        Ptr<Ipv4> ipv4 = changer->GetNode()->GetObject<Ipv4>();
        auto address = [ipv4, ifIndex]() {
            std::ostringstream os;
            if (ipv4->GetNAddresses(ifIndex) > 0)
            {
                os << ipv4->GetAddress(ifIndex, 0).GetLocal();
            }
            return os.str();
        };
        what = "renumbered " + address();
        ok = changer->Renumber(ifIndex);
        what += " -> " + address();
    }
    else if (ev.m_type == "route")
    {
        ok = changer->SetDefaultRoute(ifIndex);
        what = "default route moved here";
    }
    else
    {
        auto p = ev.m_params.find("policy");
        bool immediately = p != ev.m_params.end() && p->second == "switch";
        ok = changer->MigrateConnection(client,
                                        ifIndex,
                                        immediately ? QuicConnection::SWITCH_IMMEDIATELY
                                                    : QuicConnection::PROBE_THEN_SWITCH);
        what = std::string("client migration (") +
               (immediately ? "switch immediately" : "probe then switch") + ") to this access";
    }
    detail = "access " + std::to_string(index) + ": " + what + (ok ? "" : " (failed)");
    return ok;
}

/**
 * \brief Write kind, client_node, server_node (and access_networks) of the topology object.
 * \param w the writer
 * \param c the configuration
 */
void
WriteTopologyNodes(JsonWriter& w, const ScenarioConfig& c)
{
    std::vector<QuicAccessNetworkConfig> list;
    std::string error;
    if (c.m_access.empty() ||
        !QuicMigrationTopologyHelper::ParseAccessList(c.m_access, list, error))
    {
        w.Key("kind");
        w.String("point-to-point");
        w.Key("client_node");
        w.Uint(0);
        w.Key("server_node");
        w.Uint(1);
        return;
    }
    // QuicMigrationTopologyHelper creates the client, the router, then the server.
    w.Key("kind");
    w.String("multi-access");
    w.Key("client_node");
    w.Uint(0);
    w.Key("server_node");
    w.Uint(2);
    w.Key("access_networks");
    w.BeginArray();
    for (const auto& a : list)
    {
        w.String(QuicMigrationTopologyHelper::AccessToString(a));
    }
    w.EndArray();
}

// =============================================================================================
// The run
// =============================================================================================

uint16_t PortOf(const Address& a);

/// \return an IPv4 address as text
std::string
Ipv4Text(Ipv4Address a)
{
    std::ostringstream os;
    a.Print(os);
    return os.str();
}

/// \return true for the attack event types (doc/quic-migration.rst "Attackers")
bool
IsAttackEvent(const std::string& type)
{
    return type.rfind("attack-", 0) == 0;
}

/// Mutable state of one run, reached from trace sinks.
class ScenarioRun
{
  public:
    /// \param config the configuration
    explicit ScenarioRun(const ScenarioConfig& config)
        : m_config(config)
    {
        m_conn.m_requestedBytes = config.m_transferBytes;
    }

    const ScenarioConfig& m_config;                  //!< configuration
    ScenarioConnectionResult m_conn;                 //!< the connection's results (one today)
    Ptr<QuicConnection> m_client;                    //!< client connection
    int64_t m_preferredSwitchNs{-1};                 //!< client moved to the preferred address, ns
    Ptr<QuicConnection> m_server;                    //!< server connection
    int64_t m_last[3][2]{{-1, 0}, {-1, 0}, {-1, 0}}; //!< last change (ns, value) of the
                                                     //!< cwnd, srtt, delivered series
    bool m_interrupted{false};                       //!< the progress hook stopped the run
    int64_t m_autoStopNs{-1};                        //!< automatic stop scheduled at (ns)
    uint64_t m_linkLoss[2]{0, 0};                    //!< error-model drops, per direction
    uint64_t m_queueDrops[2]{0, 0};                  //!< queue drops, per direction
    uint32_t m_maxDatagram[2]{0, 0};                 //!< largest datagram, [0] client [1] server
    uint64_t m_finalCwnd[2]{0, 0};                   //!< last traced cwnd, [0] client [1] server
    int64_t m_finalSrttNs[2]{0, 0};                  //!< last traced srtt, same order

    /// Measurement state of one timeline event.
    struct EventTrack
    {
        int64_t m_t0{-1};              //!< when it ran with outcome ok, ns (-1: not tracked)
        bool m_migrate{false};         //!< migrate (else rebind)
        std::string m_clientLocal;     //!< the client's new local socket address
        std::string m_newAddress;      //!< the client address the server sees afterwards
        bool m_serverValidated{false}; //!< the server validated m_newAddress
        int64_t m_switchedAt{-1};      //!< the server switched to m_newAddress, ns
        uint64_t m_sent{0};            //!< server bytes to m_newAddress before validation
        uint64_t m_received{0};        //!< server bytes from m_newAddress before validation
    };

    std::vector<ScenarioEventResult> m_events; //!< the timeline and what ran
    std::vector<EventTrack> m_tracks;          //!< same order
    int64_t m_executing{-1};                   //!< index of the event being executed
    Address m_clientIp;                        //!< the client's first address
    Address m_secondIp;                        //!< the client's second address (migrate)
    Ptr<QuicAddressChanger> m_changer;         //!< address changes (option access)
    std::vector<uint32_t> m_accessInterfaces;  //!< client interface of each access

    /// Client connection created.
    void OnClientConnection(Ptr<QuicConnection> c)
    {
        if (m_client)
        {
            return;
        }
        m_client = c;
        c->TraceConnectWithoutContext("CongestionWindow", MakeCallback(&ScenarioRun::OnCwnd, this));
        c->TraceConnectWithoutContext("SmoothedRtt", MakeCallback(&ScenarioRun::OnSrtt, this));
        c->TraceConnectWithoutContext("PacketSent",
                                      MakeCallback(&ScenarioRun::OnClientPacketSent, this));
        m_finalCwnd[0] = c->GetCongestionWindow();
        c->TraceConnectWithoutContext("HandshakeEvent",
                                      MakeCallback(&ScenarioRun::OnClientHandshake, this));
        c->TraceConnectWithoutContext("PathEvent",
                                      MakeCallback(&ScenarioRun::OnClientPathEvent, this));
        c->TraceConnectWithoutContext("PacketLost",
                                      MakeCallback(&ScenarioRun::OnClientPacketLost, this));
        c->TraceConnectWithoutContext("PacketDropped",
                                      MakeCallback(&ScenarioRun::OnAttackClientDrop, this));
    }

    /// Server connection accepted.
    void OnServerConnection(Ptr<QuicConnection> c)
    {
        if (m_server)
        {
            return;
        }
        m_server = c;
        c->TraceConnectWithoutContext("CongestionWindow",
                                      MakeCallback(&ScenarioRun::OnServerCwnd, this));
        c->TraceConnectWithoutContext("SmoothedRtt",
                                      MakeCallback(&ScenarioRun::OnServerSrtt, this));
        c->TraceConnectWithoutContext("PacketSent",
                                      MakeCallback(&ScenarioRun::OnServerPacketSent, this));
        c->TraceConnectWithoutContext("PacketReceived",
                                      MakeCallback(&ScenarioRun::OnServerPacketReceived, this));
        c->TraceConnectWithoutContext("PathEvent",
                                      MakeCallback(&ScenarioRun::OnServerPathEvent, this));
        c->TraceConnectWithoutContext("PacketDropped",
                                      MakeCallback(&ScenarioRun::OnAttackServerDrop, this));
        m_finalCwnd[1] = c->GetCongestionWindow();
    }

    /// Execute event i of the timeline.
    void ExecuteEvent(size_t i)
    {
        ScenarioEventResult& er = m_events[i];
        EventTrack& tr = m_tracks[i];
        int64_t now = Simulator::Now().GetNanoSeconds();
        er.m_executed = true;
        er.m_executedNs = now;
        er.m_outcome = "refused";
        if (IsAccessEvent(er.m_event))
        {
            // Network actions run whatever the connection's state.
            m_executing = int64_t(i);
            bool ok = ExecuteAccessEvent(er.m_event,
                                         m_changer,
                                         m_accessInterfaces,
                                         m_client,
                                         er.m_detail);
            m_executing = -1;
            if (ok)
            {
                er.m_outcome = "ok";
                tr.m_t0 = now;
            }
            return;
        }
        if (!m_client || m_client->GetState() != QuicConnection::CONNECTED)
        {
            er.m_detail = "no connected client connection";
            return;
        }
        er.m_cwndBefore = int64_t(m_client->GetCongestionWindow());
        Simulator::Schedule(Seconds(1), &ScenarioRun::SampleCwndAfter, this, i);
        std::string from = QuicPath::AddressToString(m_client->GetActivePath().GetLocalAddress());
        m_executing = int64_t(i);
        bool ok = false;
        if (IsAttackEvent(er.m_event.m_type))
        {
            ok = ExecuteAttack(i);
        }
        else if (er.m_event.m_type == "rebind")
        {
            Address local =
                m_config.m_ipv6
                    ? Address(Inet6SocketAddress(Ipv6Address::ConvertFrom(m_clientIp), 0))
                    : Address(InetSocketAddress(Ipv4Address::ConvertFrom(m_clientIp), 0));
            ok = m_client->RebindForTesting(local);
            er.m_detail = ok ? "client socket rebound (NAT rebinding) from " + from + " to " +
                                   m_tracks[i].m_clientLocal
                             : "RebindForTesting refused: no socket could be bound";
        }
        else if (er.m_event.m_params.count("if") != 0)
        {
            tr.m_migrate = true;
            ok = ExecuteAccessEvent(er.m_event,
                                    m_changer,
                                    m_accessInterfaces,
                                    m_client,
                                    er.m_detail);
        }
        else
        {
            auto it = er.m_event.m_params.find("policy");
            bool immediately = it != er.m_event.m_params.end() && it->second == "switch";
            tr.m_migrate = true;
            ok = m_client->Migrate(InetSocketAddress(Ipv4Address::ConvertFrom(m_secondIp), 0),
                                   immediately ? QuicConnection::SWITCH_IMMEDIATELY
                                               : QuicConnection::PROBE_THEN_SWITCH);
            er.m_detail =
                ok ? std::string("client migration (") +
                         (immediately ? "switch immediately" : "probe then switch") + ") from " +
                         from + " to " + m_tracks[i].m_clientLocal
                   : "Migrate refused (handshake not confirmed, disable_active_migration, no "
                     "spare peer connection ID or no socket)";
        }
        m_executing = -1;
        if (ok)
        {
            er.m_outcome = "ok";
            tr.m_t0 = now;
        }
    }

    /// Client cwnd one second after event i.
    void SampleCwndAfter(size_t i)
    {
        if (m_client && m_client->GetState() == QuicConnection::CONNECTED)
        {
            m_events[i].m_cwndAfter = int64_t(m_client->GetCongestionWindow());
        }
        else
        {
            m_events[i].m_cwndAfter = int64_t(m_finalCwnd[0]);
        }
    }

    /// PathEvent trace of the client.
    void OnClientPathEvent(Ptr<const QuicConnection>,
                           const std::string& event,
                           const std::string& from,
                           const std::string& to)
    {
        if ((event == "rebound" || event == "migration_started") && m_executing >= 0)
        {
            m_tracks[m_executing].m_clientLocal = to;
        }
        if (event == "preferred_address_switched" && m_preferredSwitchNs < 0)
        {
            m_preferredSwitchNs = Simulator::Now().GetNanoSeconds();
        }
        if (event == "path_validated")
        {
            int64_t now = Simulator::Now().GetNanoSeconds();
            for (size_t i = 0; i < m_tracks.size(); ++i)
            {
                EventTrack& tr = m_tracks[i];
                if (tr.m_t0 >= 0 && tr.m_migrate && tr.m_clientLocal == from &&
                    m_events[i].m_validationNs < 0)
                {
                    m_events[i].m_validationNs = now - tr.m_t0;
                }
            }
        }
    }

    /// PathEvent trace of the server.
    void OnServerPathEvent(Ptr<const QuicConnection>,
                           const std::string& event,
                           const std::string&,
                           const std::string& to)
    {
        OnAttackServerPathEvent(event, to);
        int64_t now = Simulator::Now().GetNanoSeconds();
        for (size_t i = 0; i < m_tracks.size(); ++i)
        {
            EventTrack& tr = m_tracks[i];
            ScenarioEventResult& er = m_events[i];
            if (tr.m_t0 < 0)
            {
                continue;
            }
            if (tr.m_newAddress.empty() &&
                (event == "path_created" || event == "peer_port_changed" ||
                 event == "peer_address_changed"))
            {
                tr.m_newAddress = to;
                er.m_newAddress = to;
            }
            if (tr.m_newAddress != to)
            {
                continue;
            }
            if (event == "active_path_switched" && tr.m_switchedAt < 0)
            {
                tr.m_switchedAt = now;
                er.m_switchNs = now - tr.m_t0;
            }
            if (event == "path_validated" && !tr.m_serverValidated)
            {
                tr.m_serverValidated = true;
                if (!tr.m_migrate)
                {
                    er.m_validationNs = now - tr.m_t0;
                }
            }
        }
    }

    /// PacketReceived trace of the server.
    void OnServerPacketReceived(Ptr<const QuicConnection>, const QuicPacketTraceInfo& info)
    {
        OnAttackServerTraffic(info, false);
        if (m_tracks.empty())
        {
            return;
        }
        std::string remote = QuicPath::AddressToString(info.m_remote);
        for (size_t i = 0; i < m_tracks.size(); ++i)
        {
            EventTrack& tr = m_tracks[i];
            if (tr.m_t0 >= 0 && !tr.m_serverValidated && tr.m_newAddress == remote)
            {
                tr.m_received += info.m_datagramSize;
                m_events[i].m_receivedFromUnvalidated = tr.m_received;
            }
        }
    }

    /// PacketLost trace of the client.
    void OnClientPacketLost(Ptr<const QuicConnection>, const QuicPacketTraceInfo&)
    {
        int64_t now = Simulator::Now().GetNanoSeconds();
        for (auto& er : m_events)
        {
            if (er.m_cwndBefore >= 0 && now <= er.m_executedNs + Seconds(1).GetNanoSeconds())
            {
                ++er.m_lostAround;
            }
        }
    }

    /// Record a change of series index i.
    void Record(ScenarioSeries& s, int i, int64_t v)
    {
        int64_t t = Simulator::Now().GetNanoSeconds();
        m_last[i][0] = t;
        m_last[i][1] = v;
        SeriesAdd(s, m_config.m_seriesMaxPoints, t, v);
    }

    /// Make the last change of each series its last point.
    void FinishSeries()
    {
        ScenarioSeries* all[3] = {&m_conn.m_cwnd, &m_conn.m_srtt, &m_conn.m_delivered};
        for (int i = 0; i < 3; ++i)
        {
            if (m_last[i][0] >= 0)
            {
                SeriesFinish(*all[i], m_config.m_seriesMaxPoints, m_last[i][0], m_last[i][1]);
            }
        }
    }

    /// CongestionWindow trace of the client.
    void OnCwnd(uint64_t, uint64_t v)
    {
        m_finalCwnd[0] = v;
        Record(m_conn.m_cwnd, 0, int64_t(v));
    }

    /// SmoothedRtt trace of the client.
    void OnSrtt(Time, Time v)
    {
        m_finalSrttNs[0] = v.GetNanoSeconds();
        Record(m_conn.m_srtt, 1, v.GetNanoSeconds());
    }

    /// CongestionWindow trace of the server.
    void OnServerCwnd(uint64_t, uint64_t v)
    {
        m_finalCwnd[1] = v;
    }

    /// SmoothedRtt trace of the server.
    void OnServerSrtt(Time, Time v)
    {
        m_finalSrttNs[1] = v.GetNanoSeconds();
    }

    /// PacketSent trace of the client.
    void OnClientPacketSent(Ptr<const QuicConnection>, const QuicPacketTraceInfo& info)
    {
        m_maxDatagram[0] = std::max(m_maxDatagram[0], info.m_datagramSize);
    }

    /// PacketSent trace of the server.
    void OnServerPacketSent(Ptr<const QuicConnection>, const QuicPacketTraceInfo& info)
    {
        m_maxDatagram[1] = std::max(m_maxDatagram[1], info.m_datagramSize);
        OnAttackServerTraffic(info, true);
        if (m_tracks.empty())
        {
            return;
        }
        std::string remote = QuicPath::AddressToString(info.m_remote);
        for (size_t i = 0; i < m_tracks.size(); ++i)
        {
            EventTrack& tr = m_tracks[i];
            ScenarioEventResult& er = m_events[i];
            if (tr.m_t0 >= 0 && !tr.m_serverValidated && tr.m_newAddress == remote)
            {
                tr.m_sent += info.m_datagramSize;
                er.m_bytesToUnvalidated = tr.m_sent;
                if (tr.m_received > 0)
                {
                    er.m_amplificationPermille =
                        std::max(er.m_amplificationPermille,
                                 int64_t(tr.m_sent * 1000 / tr.m_received));
                }
            }
        }
    }

    /// HandshakeEvent trace of the client.
    void OnClientHandshake(Ptr<const QuicConnection>, const std::string& milestone)
    {
        if (milestone == "handshake_confirmed" && m_config.m_transferBytes == 0)
        {
            ScheduleAutoStop();
        }
    }

    /// Rx trace of the sink: bytes read by the server application.
    void OnSinkRx(Ptr<const QuicConnection>, uint64_t, uint32_t bytes)
    {
        for (size_t i = 0; i < m_tracks.size(); ++i)
        {
            if (m_tracks[i].m_switchedAt >= 0 && m_events[i].m_migrationDelayNs < 0)
            {
                m_events[i].m_migrationDelayNs =
                    Simulator::Now().GetNanoSeconds() - m_tracks[i].m_t0;
            }
        }
        m_conn.m_deliveredBytes += bytes;
        Record(m_conn.m_delivered, 2, int64_t(m_conn.m_deliveredBytes));
    }

    /// StreamComplete trace of the sink: the stream was read up to its FIN.
    void OnSinkStreamComplete(Ptr<const QuicConnection>, uint64_t, uint64_t total, bool)
    {
        if (m_conn.m_transferComplete || total != m_config.m_transferBytes)
        {
            return;
        }
        m_conn.m_transferComplete = true;
        m_conn.m_transferCompleteNs = Simulator::Now().GetNanoSeconds();
        ScheduleAutoStop();
    }

    /// Stop stop-margin from now (automatic stop mode only).
    void ScheduleAutoStop()
    {
        if (!m_config.m_stopTime.IsZero() || m_autoStopNs >= 0)
        {
            return;
        }
        m_autoStopNs = (Simulator::Now() + m_config.m_stopMargin).GetNanoSeconds();
        Simulator::Stop(m_config.m_stopMargin);
    }

    /// Periodic progress report.
    void Progress()
    {
        if (!m_config.m_progress(Simulator::Now(), m_conn.m_deliveredBytes))
        {
            m_interrupted = true;
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(m_config.m_progressInterval, &ScenarioRun::Progress, this);
    }

    /// PhyRxDrop of a device: error-model loss. \param run the run \param dir direction
    static void OnPhyRxDrop(ScenarioRun* run, uint32_t dir, Ptr<const Packet>)
    {
        ++run->m_linkLoss[dir];
    }

    /// Drop of a device queue. \param run the run \param dir direction
    static void OnQueueDrop(ScenarioRun* run, uint32_t dir, Ptr<const Packet>)
    {
        ++run->m_queueDrops[dir];
    }

    // ---- attacks (doc/quic-migration.rst "Attackers"): self-contained -------------------------

    /// The attacker's part of the topology (SetUpAttackers()).
    struct AttackSetup
    {
        bool m_present{false};      //!< the timeline has attack events
        Ptr<Node> m_attacker;       //!< attacker node A
        Ptr<NetDevice> m_tap;       //!< the client's link device, tapped by A
        Ipv4Address m_clientIp;     //!< the client's address
        Ipv4Address m_serverIp;     //!< the server's address
        NetDeviceContainer m_links; //!< the attacker's links (for pcaps)
    };

    AttackSetup m_attack;                              //!< attacker topology
    std::vector<Ptr<Application>> m_attackApps;        //!< attacker application by event index
    std::vector<Ptr<QuicOffPathInjector>> m_replayers; //!< replay injectors by event index

    /**
     * Add the attacker node A (fast links to the server and the client, a victim node V
     * behind it) when the timeline has attack events; assign the random streams of its
     * stack and of the replay injectors (which capture from the start).
     * \param client the client node
     * \param server the server node
     * \param serverIp the server's address
     * \param tap the client's link device
     * \param stream first random stream
     * \return streams used
     */
    int64_t SetUpAttackers(Ptr<Node> client,
                           Ptr<Node> server,
                           const Address& serverIp,
                           Ptr<NetDevice> tap,
                           int64_t stream)
    {
        m_attackApps.assign(m_events.size(), nullptr);
        m_replayers.assign(m_events.size(), nullptr);
        for (auto& er : m_events)
        {
            er.m_attack.m_present = IsAttackEvent(er.m_event.m_type);
            m_attack.m_present = m_attack.m_present || er.m_attack.m_present;
        }
        if (!m_attack.m_present || m_config.m_ipv6)
        {
            return 0;
        }
        NodeContainer extra;
        extra.Create(2); // A, V
        m_attack.m_attacker = extra.Get(0);
        m_attack.m_tap = tap;
        InternetStackHelper stack;
        stack.Install(extra);
        PointToPointHelper fast;
        fast.SetDeviceAttribute("DataRate", DataRateValue(DataRate(m_config.m_dataRateBps * 10)));
        fast.SetDeviceAttribute("Mtu", UintegerValue(m_config.m_mtu));
        fast.SetChannelAttribute("Delay",
                                 TimeValue(std::min(MilliSeconds(1), m_config.m_delay / 4)));
        NetDeviceContainer as = fast.Install(extra.Get(0), server);
        NetDeviceContainer ac = fast.Install(extra.Get(0), client);
        NetDeviceContainer av = fast.Install(extra.Get(0), extra.Get(1));
        m_attack.m_links.Add(as);
        m_attack.m_links.Add(ac);
        m_attack.m_links.Add(av);
        Ipv4AddressHelper addr;
        addr.SetBase("10.9.1.0", "255.255.255.0");
        addr.Assign(as);
        addr.SetBase("10.9.2.0", "255.255.255.0");
        addr.Assign(ac);
        addr.SetBase("10.9.3.0", "255.255.255.0");
        addr.Assign(av);
        // The server reaches the victim's network through A; everything else is on-link.
        Ipv4StaticRoutingHelper routing;
        Ptr<Ipv4> serverIpv4 = server->GetObject<Ipv4>();
        routing.GetStaticRouting(serverIpv4)
            ->AddNetworkRouteTo(Ipv4Address("10.9.3.0"),
                                Ipv4Mask("255.255.255.0"),
                                Ipv4Address("10.9.1.1"),
                                serverIpv4->GetInterfaceForDevice(as.Get(1)));
        Ptr<Ipv4> victimIpv4 = extra.Get(1)->GetObject<Ipv4>();
        routing.GetStaticRouting(victimIpv4)
            ->SetDefaultRoute(Ipv4Address("10.9.3.1"),
                              victimIpv4->GetInterfaceForDevice(av.Get(1)));
        m_attack.m_clientIp = Ipv4Address::ConvertFrom(m_clientIp);
        m_attack.m_serverIp = Ipv4Address::ConvertFrom(serverIp);
        // A reaches the server's and the client's main addresses over its own links.
        Ptr<Ipv4> attackerIpv4 = extra.Get(0)->GetObject<Ipv4>();
        Ptr<Ipv4StaticRouting> attackerRouting = routing.GetStaticRouting(attackerIpv4);
        attackerRouting->AddHostRouteTo(m_attack.m_serverIp,
                                        Ipv4Address("10.9.1.2"),
                                        attackerIpv4->GetInterfaceForDevice(as.Get(0)));
        attackerRouting->AddHostRouteTo(m_attack.m_clientIp,
                                        Ipv4Address("10.9.2.2"),
                                        attackerIpv4->GetInterfaceForDevice(ac.Get(0)));
        int64_t used = stack.AssignStreams(extra, stream);
        for (size_t i = 0; i < m_events.size(); ++i)
        {
            const ScenarioEvent& ev = m_events[i].m_event;
            if (ev.m_type == "attack-inject" && Param(ev, "mode", "random") == "replay")
            {
                // Captures the client's datagrams from the start: the replays are old packets.
                m_replayers[i] = CreateObject<QuicOffPathInjector>();
                m_replayers[i]->Sniff(tap);
                used += m_replayers[i]->AssignStreams(stream + used);
            }
        }
        return used;
    }

    /// \return a parameter of an event, or its default
    static std::string Param(const ScenarioEvent& ev, const std::string& key, const char* def)
    {
        auto it = ev.m_params.find(key);
        return it == ev.m_params.end() ? std::string(def) : it->second;
    }

    /// \return a time parameter (validated before the run)
    static Time TimeParam(const ScenarioEvent& ev, const std::string& key, const char* def)
    {
        Time t;
        ParseScenarioTime(Param(ev, key, def), t);
        return t;
    }

    /// \return a count parameter (validated before the run)
    static uint64_t CountParam(const ScenarioEvent& ev, const std::string& key, const char* def)
    {
        return std::strtoull(Param(ev, key, def).c_str(), nullptr, 10);
    }

    /// Start the attacker of event i (ExecuteEvent with a connected client).
    bool ExecuteAttack(size_t i)
    {
        ScenarioEventResult& er = m_events[i];
        const ScenarioEvent& ev = er.m_event;
        ScenarioAttackResult& a = er.m_attack;
        if (!m_attack.m_attacker || !m_server)
        {
            er.m_detail = "no attacker node (IPv4 only) or no server connection";
            return false;
        }
        Ptr<Node> node = m_attack.m_attacker;
        const int64_t stream = 100000 + 10 * int64_t(i);
        const uint16_t clientPort = PortOf(m_client->GetActivePath().GetLocalAddress());
        if (ev.m_type == "attack-copy-race" || ev.m_type == "attack-victim")
        {
            bool victim = ev.m_type == "attack-victim";
            bool relay = !victim && Param(ev, "relay", "0") == "1";
            Time duration = TimeParam(ev, "duration", victim ? "300ms" : "500ms");
            QuicCopyRaceForwarderHelper h;
            h.SetAttribute(
                "SpoofedSource",
                Ipv4AddressValue(victim ? Ipv4Address("10.9.3.2") : Ipv4Address::GetAny()));
            h.SetAttribute("Relay", BooleanValue(relay));
            h.SetAttribute("MaxCopies", UintegerValue(CountParam(ev, "copies", "0")));
            ApplicationContainer apps = h.Install(node, m_attack.m_tap);
            QuicCopyRaceForwarderHelper::AssignStreams(apps, stream);
            apps.Start(Seconds(0));
            apps.Stop(duration);
            m_attackApps[i] = apps.Get(0);
            a.m_source = victim ? "10.9.3.2" : "10.9.1.1";
            er.m_detail = std::string(victim ? "victim amplification: copies of the client's "
                                               "packets with the victim's source "
                                             : "copy race: copies of the client's packets from ") +
                          a.m_source + " over a faster path for " + DescribeTime(duration) +
                          (relay ? ", server answers relayed to the client" : "");
            return true;
        }
        std::string mode = ev.m_type == "attack-reset" ? "reset" : Param(ev, "mode", "random");
        bool toClient = ev.m_type == "attack-reset" || Param(ev, "target", "server") == "client";
        if (mode == "replay")
        {
            toClient = false;
        }
        Ipv4Address target = toClient ? m_attack.m_clientIp : m_attack.m_serverIp;
        uint16_t port = toClient ? clientPort : QUIC_MIGRATION_SERVER_PORT;
        Ptr<QuicOffPathInjector> inj =
            mode == "replay" ? m_replayers[i] : CreateObject<QuicOffPathInjector>();
        if (mode != "replay")
        {
            inj->AssignStreams(stream);
        }
        inj->SetAttribute("Target", Ipv4AddressValue(target));
        inj->SetAttribute("TargetPort", UintegerValue(port));
        inj->SetAttribute("Count",
                          UintegerValue(CountParam(ev, "count", mode == "reset" ? "10" : "100")));
        inj->SetAttribute("Interval",
                          TimeValue(TimeParam(ev, "interval", mode == "reset" ? "10ms" : "1ms")));
        const char* modeName = "Random";
        if (mode == "short" || mode == "guess")
        {
            modeName = "ShortHeader";
        }
        else if (mode == "reset")
        {
            modeName = "StatelessReset";
            inj->SetAttribute("PacketSize", UintegerValue(40));
        }
        else if (mode == "replay")
        {
            modeName = "Replay";
        }
        inj->SetAttribute("Mode", StringValue(modeName));
        if (mode == "guess")
        {
            // The CID the target really uses for this connection (as if read off the wire).
            const QuicConnectionId& cid =
                toClient ? m_server->GetPeerCid() : m_client->GetPeerCid();
            inj->SetAttribute("GuessedCid", StringValue(cid.ToHex()));
        }
        if (toClient)
        {
            // Resets claim the server's address; other packets come from an address the
            // client never moved to (MIG-06).
            inj->SetAttribute(
                "SpoofedSource",
                Ipv4AddressValue(mode == "reset" ? m_attack.m_serverIp : Ipv4Address("10.9.1.1")));
            inj->SetAttribute("SpoofedPort", UintegerValue(QUIC_MIGRATION_SERVER_PORT));
        }
        node->AddApplication(inj);
        inj->SetStartTime(Seconds(0));
        m_attackApps[i] = inj;
        a.m_source = mode == "replay"              ? Ipv4Text(m_attack.m_clientIp)
                     : toClient && mode == "reset" ? Ipv4Text(m_attack.m_serverIp)
                                                   : "10.9.1.1";
        er.m_detail = "off-path injection (" + mode + ") of " +
                      Param(ev, "count", mode == "reset" ? "10" : "100") + " datagrams to " +
                      Ipv4Text(target) + ":" + std::to_string(port) + " from " + a.m_source;
        return true;
    }

    /// \return true if the address text (ip:port) has the IP of an attack's source
    static bool FromSource(const ScenarioAttackResult& a, const std::string& address)
    {
        return !a.m_source.empty() && address.rfind(a.m_source + ":", 0) == 0;
    }

    /// Server PacketSent (sent) or PacketReceived: bytes to and from the attacks' sources.
    void OnAttackServerTraffic(const QuicPacketTraceInfo& info, bool sent)
    {
        if (!m_attack.m_present)
        {
            return;
        }
        std::string remote = QuicPath::AddressToString(info.m_remote);
        for (size_t i = 0; i < m_events.size(); ++i)
        {
            ScenarioAttackResult& a = m_events[i].m_attack;
            if (!a.m_present || m_tracks[i].m_t0 < 0 || !FromSource(a, remote))
            {
                continue;
            }
            if (!sent)
            {
                a.m_bytesFromSource += info.m_datagramSize;
                continue;
            }
            a.m_bytesToSource += info.m_datagramSize;
            if (a.m_bytesFromSource > 0)
            {
                a.m_maxAmplificationPermille =
                    std::max(a.m_maxAmplificationPermille,
                             int64_t(a.m_bytesToSource * 1000 / a.m_bytesFromSource));
            }
        }
    }

    /// Server PathEvent: validation failures, fallbacks, moves to the attacks' sources.
    void OnAttackServerPathEvent(const std::string& event, const std::string& to)
    {
        for (size_t i = 0; i < m_events.size(); ++i)
        {
            ScenarioAttackResult& a = m_events[i].m_attack;
            if (!a.m_present || m_tracks[i].m_t0 < 0)
            {
                continue;
            }
            a.m_validationFailures += event == "validation_failed" ? 1 : 0;
            a.m_fallbacks += event == "fallback" ? 1 : 0;
            a.m_serverOnSource =
                a.m_serverOnSource || (event == "active_path_switched" && FromSource(a, to));
        }
    }

    /// Count a drop for the executed attacks. \param server server or client side
    void CountAttackDrop(bool server)
    {
        for (size_t i = 0; i < m_events.size(); ++i)
        {
            ScenarioAttackResult& a = m_events[i].m_attack;
            if (a.m_present && m_tracks[i].m_t0 >= 0)
            {
                ++(server ? a.m_serverDrops : a.m_clientDrops);
            }
        }
    }

    /// PacketDropped of the server connection.
    void OnAttackServerDrop(Ptr<const QuicConnection>, QuicDropReason, uint32_t)
    {
        CountAttackDrop(true);
    }

    /// PacketDropped of the client connection.
    void OnAttackClientDrop(Ptr<const QuicConnection>, QuicDropReason, uint32_t)
    {
        CountAttackDrop(false);
    }

    /// Drop trace of the server endpoint (no connection for the datagram).
    void OnAttackServerEndpointDrop(QuicDropReason, uint32_t, const Address&)
    {
        CountAttackDrop(true);
    }

    /// Drop trace of the client endpoint.
    void OnAttackClientEndpointDrop(QuicDropReason, uint32_t, const Address&)
    {
        CountAttackDrop(false);
    }

    /// End of the run: attacker counters and the server's final peer.
    void CollectAttacks()
    {
        for (size_t i = 0; i < m_events.size(); ++i)
        {
            ScenarioAttackResult& a = m_events[i].m_attack;
            if (!a.m_present)
            {
                continue;
            }
            if (auto f = DynamicCast<QuicCopyRaceForwarder>(m_attackApps[i]))
            {
                a.m_injected = f->GetCopiedCount();
                a.m_relayed = f->GetRelayedCount();
            }
            else if (auto inj = DynamicCast<QuicOffPathInjector>(m_attackApps[i]))
            {
                a.m_injected = inj->GetInjectedCount();
            }
            if (m_server)
            {
                a.m_finalServerPeer =
                    QuicPath::AddressToString(m_server->GetActivePath().GetRemoteAddress());
            }
        }
        m_attackApps.clear();
        m_replayers.clear();
        m_attack = AttackSetup();
    }

    /// Client without a transfer (bytes = 0): connect, nothing else.
    void ClientConnect(Ptr<QuicEndpoint> ep, Address remote)
    {
        ep->Connect(remote);
    }
};

/**
 * Per-path results, per-path time series and the trace hook (ScenarioConfig::m_trace) of a
 * run: attached to both sides' connections, independent of ScenarioRun.
 */
class ScenarioObserver
{
  public:
    /// \param config the configuration \param events the timeline results of the run
    ScenarioObserver(const ScenarioConfig& config, const std::vector<ScenarioEventResult>& events)
        : m_config(config),
          m_events(events)
    {
        m_sides[0].m_name = "client";
        m_sides[1].m_name = "server";
    }

    /// One side of the connection.
    struct Side
    {
        std::string m_name;                             //!< "client" or "server"
        Ptr<QuicConnection> m_conn;                     //!< its connection
        std::map<uint32_t, ScenarioPathResult> m_paths; //!< by path id
        std::map<uint32_t, uint64_t> m_lastTick;        //!< last sampled tick, by path id
        int64_t m_activeId{-1};                         //!< active path id
        int64_t m_activeSince{0};                       //!< since when, ns
    };

    /// New connection on side 0 (client) or 1 (server). \param o this \param side the side
    static void OnConnection(ScenarioObserver* o, uint32_t side, Ptr<QuicConnection> c)
    {
        Side& s = o->m_sides[side];
        if (s.m_conn)
        {
            return;
        }
        s.m_conn = c;
        c->TraceConnectWithoutContext("PathEvent",
                                      MakeBoundCallback(&ScenarioObserver::OnPath, o, side));
        c->TraceConnectWithoutContext("ConnectionIdEvent",
                                      MakeBoundCallback(&ScenarioObserver::OnCid, o, side));
        c->TraceConnectWithoutContext("HandshakeEvent",
                                      MakeBoundCallback(&ScenarioObserver::OnHandshake, o, side));
        c->TraceConnectWithoutContext("PacketSent",
                                      MakeBoundCallback(&ScenarioObserver::OnSent, o, side));
        c->TraceConnectWithoutContext("PacketReceived",
                                      MakeBoundCallback(&ScenarioObserver::OnReceived, o, side));
        c->TraceConnectWithoutContext("PacketLost",
                                      MakeBoundCallback(&ScenarioObserver::OnLost, o, side));
        o->Refresh(side);
    }

    /// Bring the path table of a side up to date with its connection. \param side the side
    void Refresh(uint32_t side)
    {
        Side& s = m_sides[side];
        if (!s.m_conn)
        {
            return;
        }
        int64_t now = Simulator::Now().GetNanoSeconds();
        for (size_t i = 0; i < s.m_conn->GetPathCount(); ++i)
        {
            const QuicPath& p = s.m_conn->GetPath(i);
            auto it = s.m_paths.find(p.GetId());
            if (it == s.m_paths.end())
            {
                ScenarioPathResult r;
                r.m_side = s.m_name;
                r.m_id = p.GetId();
                r.m_createdNs = now;
                it = s.m_paths.emplace(p.GetId(), r).first;
            }
            ScenarioPathResult& r = it->second;
            r.m_localAddress = QuicPath::AddressToString(p.GetLocalAddress());
            r.m_remoteAddress = QuicPath::AddressToString(p.GetRemoteAddress());
            r.m_validated = p.IsValidated();
            r.m_bytesSent = p.GetBytesSent();
            r.m_bytesReceived = p.GetBytesReceived();
            r.m_finalCwnd = p.Congestion().m_congestionWindow;
            r.m_finalSrttNs = p.Rtt().GetSmoothedRtt().GetNanoSeconds();
        }
        int64_t active =
            s.m_conn->GetPathCount() > 0 ? int64_t(s.m_conn->GetActivePath().GetId()) : int64_t(-1);
        if (active != s.m_activeId)
        {
            AccountActive(s, now);
            s.m_activeId = active;
        }
    }

    /// Add the time since the last change to the active path's total.
    void AccountActive(Side& s, int64_t now)
    {
        auto it = s.m_activeId >= 0 ? s.m_paths.find(uint32_t(s.m_activeId)) : s.m_paths.end();
        if (it != s.m_paths.end())
        {
            it->second.m_activeNs += now - s.m_activeSince;
        }
        s.m_activeSince = now;
    }

    /// Append one sample to a path's series. \param r the path \param now the time
    /// \param active it is the side's active path
    static void Sample(ScenarioPathResult& r, int64_t now, bool active)
    {
        r.m_seriesActive.push_back(active ? 1 : 0);
        r.m_seriesTimeNs.push_back(now);
        r.m_seriesCwnd.push_back(int64_t(r.m_finalCwnd));
        r.m_seriesSrttNs.push_back(r.m_finalSrttNs);
        r.m_seriesBytesSent.push_back(int64_t(r.m_bytesSent));
        r.m_seriesBytesReceived.push_back(int64_t(r.m_bytesReceived));
    }

    /// Keep every second point of a path's series.
    static void Decimate(ScenarioPathResult& r)
    {
        std::vector<int64_t>* all[] = {&r.m_seriesTimeNs,
                                       &r.m_seriesCwnd,
                                       &r.m_seriesSrttNs,
                                       &r.m_seriesBytesSent,
                                       &r.m_seriesBytesReceived,
                                       &r.m_seriesActive};
        for (auto* v : all)
        {
            size_t j = 0;
            for (size_t i = 0; i < v->size(); i += 2)
            {
                (*v)[j++] = (*v)[i];
            }
            v->resize(j);
        }
        r.m_seriesStride *= 2;
    }

    /// Sampling tick of the per-path series (every series-interval).
    void Tick()
    {
        int64_t now = Simulator::Now().GetNanoSeconds();
        ++m_tick;
        for (uint32_t side = 0; side < 2; ++side)
        {
            Refresh(side);
            Side& s = m_sides[side];
            for (auto& entry : s.m_paths)
            {
                ScenarioPathResult& r = entry.second;
                auto last = s.m_lastTick.find(entry.first);
                if (last != s.m_lastTick.end() && m_tick - last->second < r.m_seriesStride)
                {
                    continue;
                }
                if (r.m_seriesTimeNs.size() >= m_config.m_seriesMaxPoints)
                {
                    Decimate(r);
                }
                Sample(r, now, int64_t(entry.first) == s.m_activeId);
                s.m_lastTick[entry.first] = m_tick;
            }
        }
        Simulator::Schedule(m_config.m_seriesInterval, &ScenarioObserver::Tick, this);
    }

    /// End of the run: final state, final samples. \return the paths, client then server
    std::vector<ScenarioPathResult> Finish()
    {
        int64_t now = Simulator::Now().GetNanoSeconds();
        std::vector<ScenarioPathResult> all;
        for (uint32_t side = 0; side < 2; ++side)
        {
            Refresh(side);
            Side& s = m_sides[side];
            AccountActive(s, now);
            for (auto& entry : s.m_paths)
            {
                ScenarioPathResult& r = entry.second;
                r.m_active = int64_t(entry.first) == s.m_activeId;
                if (m_config.m_seriesInterval.IsStrictlyPositive() &&
                    (r.m_seriesTimeNs.empty() || r.m_seriesTimeNs.back() < now))
                {
                    if (r.m_seriesTimeNs.size() >= m_config.m_seriesMaxPoints)
                    {
                        for (auto* v : {&r.m_seriesTimeNs,
                                        &r.m_seriesCwnd,
                                        &r.m_seriesSrttNs,
                                        &r.m_seriesBytesSent,
                                        &r.m_seriesBytesReceived,
                                        &r.m_seriesActive})
                        {
                            v->pop_back();
                        }
                    }
                    Sample(r, now, r.m_active);
                }
                all.push_back(r);
            }
            s.m_conn = nullptr;
        }
        return all;
    }

    /// Report timeline event i once it ran (scheduled right after ScenarioRun::ExecuteEvent).
    void ReportTimeline(size_t i)
    {
        if (!m_config.m_trace || i >= m_events.size())
        {
            return;
        }
        const ScenarioEventResult& er = m_events[i];
        ScenarioTraceEvent ev = Make(2, "timeline", er.m_event.m_type);
        ev.m_text["outcome"] = er.m_outcome;
        ev.m_text["detail"] = er.m_detail;
        m_config.m_trace(ev);
    }

  private:
    /// \return a trace event of the given side (2: none), category and name, at now
    ScenarioTraceEvent Make(uint32_t side, const char* category, const std::string& name)
    {
        ScenarioTraceEvent ev;
        ev.m_timeNs = Simulator::Now().GetNanoSeconds();
        ev.m_side = side < 2 ? m_sides[side].m_name : "";
        ev.m_category = category;
        ev.m_name = name;
        return ev;
    }

    /// PathEvent of a side.
    static void OnPath(ScenarioObserver* o,
                       uint32_t side,
                       Ptr<const QuicConnection>,
                       const std::string& event,
                       const std::string& from,
                       const std::string& to)
    {
        o->Refresh(side);
        int64_t pathId = -1;
        for (auto& entry : o->m_sides[side].m_paths)
        {
            ScenarioPathResult& r = entry.second;
            if (r.m_localAddress == from && r.m_remoteAddress == to)
            {
                pathId = entry.first;
                if (event == "path_validated" && r.m_validatedNs < 0)
                {
                    r.m_validatedNs = Simulator::Now().GetNanoSeconds();
                }
            }
        }
        if (o->m_config.m_trace)
        {
            ScenarioTraceEvent ev = o->Make(side, "path", event);
            ev.m_pathId = pathId;
            ev.m_text["from"] = from;
            ev.m_text["to"] = to;
            o->m_config.m_trace(ev);
        }
    }

    /// ConnectionIdEvent of a side.
    static void OnCid(ScenarioObserver* o,
                      uint32_t side,
                      Ptr<const QuicConnection>,
                      const std::string& event,
                      uint64_t sequence,
                      const QuicConnectionId& cid)
    {
        if (o->m_config.m_trace)
        {
            ScenarioTraceEvent ev = o->Make(side, "cid", event);
            ev.m_numbers["sequence"] = int64_t(sequence);
            ev.m_text["cid"] = cid.ToHex();
            o->m_config.m_trace(ev);
        }
    }

    /// HandshakeEvent of a side.
    static void OnHandshake(ScenarioObserver* o,
                            uint32_t side,
                            Ptr<const QuicConnection>,
                            const std::string& milestone)
    {
        if (o->m_config.m_trace)
        {
            o->m_config.m_trace(o->Make(side, "handshake", milestone));
        }
    }

    /// Count a packet on its path and report it. \return the path's entry, or nullptr
    ScenarioPathResult* Packet(uint32_t side, const char* name, const QuicPacketTraceInfo& info)
    {
        auto& paths = m_sides[side].m_paths;
        auto it = paths.find(info.m_pathId);
        if (it == paths.end())
        {
            Refresh(side);
            it = paths.find(info.m_pathId);
        }
        if (m_config.m_trace && m_config.m_tracePackets)
        {
            ScenarioTraceEvent ev = Make(side, "packet", name);
            ev.m_pathId = info.m_pathId;
            ev.m_numbers["packet_number"] = int64_t(info.m_packetNumber);
            ev.m_numbers["size"] = info.m_size;
            ev.m_numbers["datagram_size"] = info.m_datagramSize;
            ev.m_text["type"] = QuicPacketTypeName(info.m_type);
            m_config.m_trace(ev);
        }
        return it == paths.end() ? nullptr : &it->second;
    }

    /// PacketSent of a side.
    static void OnSent(ScenarioObserver* o,
                       uint32_t side,
                       Ptr<const QuicConnection>,
                       const QuicPacketTraceInfo& info)
    {
        if (ScenarioPathResult* r = o->Packet(side, "packet_sent", info))
        {
            ++r->m_packetsSent;
        }
    }

    /// PacketReceived of a side.
    static void OnReceived(ScenarioObserver* o,
                           uint32_t side,
                           Ptr<const QuicConnection>,
                           const QuicPacketTraceInfo& info)
    {
        if (ScenarioPathResult* r = o->Packet(side, "packet_received", info))
        {
            ++r->m_packetsReceived;
        }
    }

    /// PacketLost of a side.
    static void OnLost(ScenarioObserver* o,
                       uint32_t side,
                       Ptr<const QuicConnection>,
                       const QuicPacketTraceInfo& info)
    {
        if (ScenarioPathResult* r = o->Packet(side, "packet_lost", info))
        {
            ++r->m_packetsLost;
        }
    }

    const ScenarioConfig& m_config;                   //!< configuration
    const std::vector<ScenarioEventResult>& m_events; //!< timeline results
    Side m_sides[2];                                  //!< client, server
    uint64_t m_tick{0};                               //!< sampling ticks so far
};

/// Copy the end-of-run state of one side of a connection.
void
CollectEndpoint(Ptr<QuicConnection> c,
                const ScenarioRun& run,
                uint32_t side,
                ScenarioEndpointResult& r)
{
    if (!c)
    {
        return;
    }
    static const char* const states[] = {"HANDSHAKING",
                                         "CONNECTED",
                                         "CLOSING",
                                         "DRAINING",
                                         "CLOSED"};
    const QuicConnectionStats& s = c->GetStats();
    auto ns = [](const Time& t, bool valid) { return valid ? t.GetNanoSeconds() : int64_t(-1); };
    r.m_present = true;
    r.m_state = states[std::min<int>(int(c->GetState()), 4)];
    r.m_handshakeComplete = c->IsHandshakeComplete();
    r.m_handshakeConfirmed = c->IsHandshakeConfirmed();
    r.m_handshakeCompleteNs = ns(s.m_handshakeCompleteTime, r.m_handshakeComplete);
    r.m_handshakeConfirmedNs = ns(s.m_handshakeConfirmedTime, r.m_handshakeConfirmed);
    r.m_firstInitialSentNs = ns(s.m_firstInitialSentTime, c->GetRole() == QuicConnection::CLIENT);
    r.m_first1RttSentNs = ns(s.m_first1RttSentTime, !s.m_first1RttSentTime.IsZero());
    r.m_firstStreamDataSentNs =
        ns(s.m_firstStreamDataSentTime, !s.m_firstStreamDataSentTime.IsZero());
    r.m_packetsSent = s.m_packetsSent;
    r.m_packetsReceived = s.m_packetsReceived;
    r.m_packetsLost = s.m_packetsLost;
    r.m_packetsDropped = s.m_packetsDropped;
    r.m_datagramsSent = s.m_datagramsSent;
    r.m_datagramsReceived = s.m_datagramsReceived;
    r.m_bytesSent = s.m_bytesSent;
    r.m_bytesReceived = s.m_bytesReceived;
    r.m_streamBytesSent = s.m_streamBytesSent;
    r.m_streamBytesDelivered = s.m_streamBytesDelivered;
    r.m_ptoCount = s.m_ptoCount;
    r.m_maxDatagramSize = run.m_maxDatagram[side];
    // The last traced values: they survive the connection's close.
    r.m_finalCwnd = run.m_finalCwnd[side];
    r.m_finalSrttNs = run.m_finalSrttNs[side];
    r.m_closeErrorCode = c->GetCloseErrorCode();
    r.m_pathSwitches = s.m_pathSwitches;
    r.m_peerAddressChanges = s.m_peerAddressChanges;
    r.m_pathsValidated = s.m_pathsValidated;
    r.m_validationFailures = s.m_validationFailures;
    r.m_pathChallengesSent = s.m_pathChallengesSent;
}

/// Client socket address text with the interface address (the socket is bound to any).
std::string
SocketText(const Address& ip, uint16_t port, bool ipv6)
{
    Address a = ipv6 ? Address(Inet6SocketAddress(Ipv6Address::ConvertFrom(ip), port))
                     : Address(InetSocketAddress(Ipv4Address::ConvertFrom(ip), port));
    return QuicPath::AddressToString(a);
}

/// Port of a socket address.
uint16_t
PortOf(const Address& a)
{
    if (InetSocketAddress::IsMatchingType(a))
    {
        return InetSocketAddress::ConvertFrom(a).GetPort();
    }
    if (Inet6SocketAddress::IsMatchingType(a))
    {
        return Inet6SocketAddress::ConvertFrom(a).GetPort();
    }
    return 0;
}

/**
 * Build, run and collect; every ns-3 object is released when this returns, so
 * the pcap and key log files are closed.
 */
void
Simulate(const ScenarioConfig& cfg,
         const ResolvedQuic& quic,
         const fs::path& stage,
         ScenarioResult& result)
{
    ScopedDefaults defaults;
    TypeId connTid = QuicConnection::GetTypeId();
    if (cfg.m_maxUdpPayloadSize != 0)
    {
        defaults.Set(connTid, "MaxUdpPayloadSize", UintegerValue(quic.m_maxUdpPayloadSize));
    }
    if (cfg.m_certificateSize != 0)
    {
        defaults.Set(connTid, "CertificateSize", UintegerValue(quic.m_certificateSize));
    }
    if (!cfg.m_congestionControl.empty())
    {
        defaults.Set(connTid, "CongestionControl", TypeIdValue(quic.m_congestionControl));
    }
    if (!cfg.m_initialRtt.IsZero())
    {
        defaults.Set(connTid, "InitialRtt", TimeValue(quic.m_initialRtt));
    }
    if (cfg.m_qlog)
    {
        // <ODCID>_<client|server>.sqlog per connection, in the staging directory.
        defaults.Set(connTid, "QlogDirectory", StringValue(stage.string()));
    }

    // Real IPv4/UDP checksums in the packets: IPv6 forbids a zero UDP checksum
    // (RFC 8200 §8.1) and Wireshark reports every such datagram as an error.
    BooleanValue checksums;
    GlobalValue::GetValueByName("ChecksumEnabled", checksums);

    struct ChecksumRestore
    {
        bool m_old;

        ~ChecksumRestore()
        {
            GlobalValue::Bind("ChecksumEnabled", BooleanValue(m_old));
        }
    } checksumRestore{checksums.Get()};

    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    ScenarioRun run(cfg);
    ScenarioObserver observer(cfg, run.m_events);
    {
        NodeContainer nodes;
        Ptr<Node> client;
        Ptr<Node> server;
        PointToPointHelper p2p;
        NetDeviceContainer devices;
        InternetStackHelper stack;
        Address clientIp;
        Address serverIp;
        Address preferredIp; // the server's preferred address (preferred-address)
        int64_t stream = 0;
        if (!cfg.m_access.empty())
        {
            BuildAccessTopology(cfg,
                                stage,
                                nodes,
                                client,
                                server,
                                clientIp,
                                serverIp,
                                run.m_changer,
                                run.m_accessInterfaces,
                                stream);
        }
        else
        {
            nodes.Create(2); // 0 = client, 1 = server
            client = nodes.Get(0);
            server = nodes.Get(1);

            p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(cfg.m_dataRateBps)));
            p2p.SetDeviceAttribute("Mtu", UintegerValue(cfg.m_mtu));
            p2p.SetChannelAttribute("Delay", TimeValue(cfg.m_delay));
            p2p.SetQueue("ns3::DropTailQueue<Packet>",
                         "MaxSize",
                         QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, cfg.m_queuePackets)));
            devices = p2p.Install(client, server);

            stack.Install(nodes);
            if (cfg.m_ipv6)
            {
                for (uint32_t i = 0; i < nodes.GetN(); ++i)
                {
                    // No duplicate address detection: the addresses are usable at once.
                    nodes.Get(i)->GetObject<Icmpv6L4Protocol>()->SetAttribute("DAD",
                                                                              BooleanValue(false));
                }
                Ipv6AddressHelper addr;
                addr.SetBase(Ipv6Address("2001:db8::"), Ipv6Prefix(64));
                Ipv6InterfaceContainer ifs = addr.Assign(devices);
                clientIp = ifs.GetAddress(0, 1);
                serverIp = ifs.GetAddress(1, 1);
                if (cfg.m_preferredAddress)
                {
                    Ptr<Ipv6> ipv6 = server->GetObject<Ipv6>();
                    ipv6->AddAddress(
                        ipv6->GetInterfaceForDevice(devices.Get(1)),
                        Ipv6InterfaceAddress(Ipv6Address("2001:db8::200"), Ipv6Prefix(64)));
                    preferredIp = Ipv6Address("2001:db8::200");
                }
            }
            else
            {
                Ipv4AddressHelper addr;
                addr.SetBase("10.1.1.0", "255.255.255.0");
                Ipv4InterfaceContainer ifs = addr.Assign(devices);
                clientIp = ifs.GetAddress(0);
                serverIp = ifs.GetAddress(1);
                if (cfg.m_preferredAddress)
                {
                    Ptr<Ipv4> ipv4 = server->GetObject<Ipv4>();
                    ipv4->AddAddress(
                        ipv4->GetInterfaceForDevice(devices.Get(1)),
                        Ipv4InterfaceAddress(Ipv4Address("10.1.1.200"), Ipv4Mask("255.255.255.0")));
                    preferredIp = Ipv4Address("10.1.1.200");
                }
                bool migrates =
                    std::any_of(cfg.m_events.begin(),
                                cfg.m_events.end(),
                                [](const ScenarioEvent& e) { return e.m_type == "migrate"; });
                if (migrates)
                {
                    // The target of migrate events: a second address on the client's interface.
                    Ptr<Ipv4> ipv4 = client->GetObject<Ipv4>();
                    uint32_t ifIndex = ipv4->GetInterfaceForDevice(devices.Get(0));
                    ipv4->AddAddress(
                        ifIndex,
                        Ipv4InterfaceAddress(Ipv4Address(QUIC_MIGRATION_CLIENT_SECOND_ADDRESS),
                                             Ipv4Mask("255.255.255.0")));
                    run.m_secondIp = Ipv4Address(QUIC_MIGRATION_CLIENT_SECOND_ADDRESS);
                }
            }
            // No queue disc in front of the device queue: the DropTail queue of --queue packets
            // is the only buffer of the link.
            TrafficControlHelper tch;
            tch.Uninstall(devices);

            // Loss (direction 0: client to server = received by device 1).
            for (uint32_t dir = 0; dir < 2; ++dir)
            {
                Ptr<PointToPointNetDevice> rx =
                    DynamicCast<PointToPointNetDevice>(devices.Get(dir == 0 ? 1 : 0));
                Ptr<PointToPointNetDevice> tx =
                    DynamicCast<PointToPointNetDevice>(devices.Get(dir == 0 ? 0 : 1));
                bool lossy =
                    cfg.m_lossRate > 0 &&
                    (cfg.m_lossDirection == ScenarioLossDirection::BOTH ||
                     (dir == 0 && cfg.m_lossDirection == ScenarioLossDirection::CLIENT_TO_SERVER) ||
                     (dir == 1 && cfg.m_lossDirection == ScenarioLossDirection::SERVER_TO_CLIENT));
                if (lossy)
                {
                    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
                    em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
                    em->SetRate(cfg.m_lossRate);
                    em->AssignStreams(stream + dir);
                    rx->SetReceiveErrorModel(em);
                }
                rx->TraceConnectWithoutContext(
                    "PhyRxDrop",
                    MakeBoundCallback(&ScenarioRun::OnPhyRxDrop, &run, dir));
                tx->GetQueue()->TraceConnectWithoutContext(
                    "Drop",
                    MakeBoundCallback(&ScenarioRun::OnQueueDrop, &run, dir));
                // With the device queue full, its NetDeviceQueue is stopped and the traffic
                // control layer drops the packet before the device sees it ("TcDrop").
                tx->GetNode()->GetObject<TrafficControlLayer>()->TraceConnectWithoutContext(
                    "TcDrop",
                    MakeBoundCallback(&ScenarioRun::OnQueueDrop, &run, dir));
            }
            stream += 2;
        }
        run.m_clientIp = clientIp;
        for (size_t i = 0; i < cfg.m_events.size(); ++i)
        {
            ScenarioEventResult er;
            er.m_event = cfg.m_events[i];
            er.m_outcome = "not-executed";
            run.m_events.push_back(er);
            run.m_tracks.emplace_back();
            Simulator::Schedule(cfg.m_events[i].m_time, &ScenarioRun::ExecuteEvent, &run, i);
        }
        for (size_t i = 0; i < cfg.m_events.size(); ++i)
        {
            // Right after the event ran (same time, scheduled later).
            Simulator::Schedule(cfg.m_events[i].m_time,
                                &ScenarioObserver::ReportTimeline,
                                &observer,
                                i);
        }

        // Endpoints and traces.
        QuicHelper::InstallEndpoints(nodes);
        Ptr<QuicEndpoint> clientEp = client->GetObject<QuicEndpoint>();
        Ptr<QuicEndpoint> serverEp = server->GetObject<QuicEndpoint>();
        if (cfg.m_keyLog)
        {
            QuicHelper::EnableKeyLog(NodeContainer(client), (stage / "keylog.txt").string());
        }
        clientEp->TraceConnectWithoutContext("NewConnection",
                                             MakeCallback(&ScenarioRun::OnClientConnection, &run));
        serverEp->TraceConnectWithoutContext("NewConnection",
                                             MakeCallback(&ScenarioRun::OnServerConnection, &run));
        clientEp->TraceConnectWithoutContext(
            "NewConnection",
            MakeBoundCallback(&ScenarioObserver::OnConnection, &observer, uint32_t(0)));
        serverEp->TraceConnectWithoutContext(
            "NewConnection",
            MakeBoundCallback(&ScenarioObserver::OnConnection, &observer, uint32_t(1)));
        if (cfg.m_seriesInterval.IsStrictlyPositive())
        {
            Simulator::Schedule(cfg.m_seriesInterval, &ScenarioObserver::Tick, &observer);
        }

        auto socketAddress = [&cfg](const Address& ip, uint16_t port) {
            return cfg.m_ipv6 ? Address(Inet6SocketAddress(Ipv6Address::ConvertFrom(ip), port))
                              : Address(InetSocketAddress(Ipv4Address::ConvertFrom(ip), port));
        };
        Address serverSocket = socketAddress(serverIp, QUIC_MIGRATION_SERVER_PORT);
        Address listen = socketAddress(cfg.m_ipv6 ? Address(Ipv6Address::GetAny())
                                                  : Address(Ipv4Address::GetAny()),
                                       QUIC_MIGRATION_SERVER_PORT);
        if (cfg.m_preferredAddress)
        {
            // A server offering a preferred address listens on its original address
            // explicitly, to tell the two apart (QuicEndpoint::SetPreferredAddress).
            listen = serverSocket;
        }
        if (cfg.m_preferredAddress)
        {
            Address pa = socketAddress(preferredIp, QUIC_MIGRATION_SERVER_PORT);
            if (cfg.m_ipv6)
            {
                serverEp->SetPreferredAddress(Address(), pa);
            }
            else
            {
                serverEp->SetPreferredAddress(pa);
            }
        }

        // Applications: the sink from the start, the bulk sender at start-time.
        QuicSinkHelper sinkHelper(listen);
        ApplicationContainer sinkApps = sinkHelper.Install(server);
        sinkApps.Start(Seconds(0));
        Ptr<QuicSinkApplication> sink = DynamicCast<QuicSinkApplication>(sinkApps.Get(0));
        sink->TraceConnectWithoutContext("Rx", MakeCallback(&ScenarioRun::OnSinkRx, &run));
        sink->TraceConnectWithoutContext("StreamComplete",
                                         MakeCallback(&ScenarioRun::OnSinkStreamComplete, &run));
        if (cfg.m_transferBytes > 0)
        {
            QuicBulkSendHelper bulkHelper(serverSocket);
            bulkHelper.SetAttribute("MaxBytes", UintegerValue(cfg.m_transferBytes));
            ApplicationContainer bulkApps = bulkHelper.Install(client);
            bulkApps.Start(cfg.m_startTime);
        }
        else
        {
            // Handshake only: a bare connection, no application data.
            Simulator::Schedule(cfg.m_startTime,
                                &ScenarioRun::ClientConnect,
                                &run,
                                clientEp,
                                serverSocket);
        }
        run.m_conn.m_transferStartNs = cfg.m_startTime.GetNanoSeconds();
        stream += QuicHelper::AssignStreams(nodes, stream);
        // Fixed streams for the Internet stack too (IPv6 router solicitations, ...), so that
        // several runs in one process (Python) give identical outputs.
        stream += stack.AssignStreams(nodes, stream);
        // Attackers (attack-* events): their own node and links, after everything else.
        // (attack events need the single-link topology: refused with access networks)
        if (cfg.m_access.empty())
        {
            stream += run.SetUpAttackers(client, server, serverIp, devices.Get(0), stream);
        }
        if (run.m_attack.m_attacker)
        {
            serverEp->TraceConnectWithoutContext(
                "Drop",
                MakeCallback(&ScenarioRun::OnAttackServerEndpointDrop, &run));
            clientEp->TraceConnectWithoutContext(
                "Drop",
                MakeCallback(&ScenarioRun::OnAttackClientEndpointDrop, &run));
        }

        if (cfg.m_pcap && cfg.m_access.empty())
        {
            p2p.EnablePcap((stage / cfg.m_pcapPrefix).string(), devices, false);
            if (run.m_attack.m_links.GetN() > 0)
            {
                p2p.EnablePcap((stage / cfg.m_pcapPrefix).string(), run.m_attack.m_links, false);
            }
        }

        // Stop.
        if (!cfg.m_stopTime.IsZero())
        {
            Simulator::Stop(cfg.m_stopTime);
        }
        else
        {
            Simulator::Stop(cfg.m_maxTime);
        }
        if (cfg.m_progress && cfg.m_progressInterval.IsStrictlyPositive())
        {
            Simulator::Schedule(cfg.m_progressInterval, &ScenarioRun::Progress, &run);
        }

        Simulator::Run();
        if (run.m_interrupted)
        {
            result.m_status = ScenarioStatus::INTERRUPTED;
            result.m_error = "interrupted by the progress hook";
        }

        // Collect.
        int64_t now = Simulator::Now().GetNanoSeconds();
        result.m_endNs = now;
        if (!cfg.m_stopTime.IsZero())
        {
            result.m_stopReason = "stop-time";
        }
        else if (run.m_autoStopNs >= 0 && run.m_autoStopNs <= now)
        {
            result.m_stopReason =
                cfg.m_transferBytes == 0 ? "handshake-confirmed" : "transfer-complete";
        }
        else
        {
            result.m_stopReason = "max-time";
        }
        run.FinishSeries();
        ScenarioConnectionResult& conn = run.m_conn;
        CollectEndpoint(run.m_client, run, 0, conn.m_client);
        CollectEndpoint(run.m_server, run, 1, conn.m_server);
        conn.m_patternErrors = sink->GetPatternErrors();
        uint16_t clientPort =
            run.m_client ? PortOf(run.m_client->GetActivePath().GetLocalAddress()) : 0;
        conn.m_clientAddress = SocketText(clientIp, clientPort, cfg.m_ipv6);
        if (run.m_client)
        {
            // After a migration (or a rebinding) the socket is bound to a specific address.
            const Address& local = run.m_client->GetActivePath().GetLocalAddress();
            bool specific =
                (InetSocketAddress::IsMatchingType(local) &&
                 InetSocketAddress::ConvertFrom(local).GetIpv4() != Ipv4Address::GetAny()) ||
                (Inet6SocketAddress::IsMatchingType(local) &&
                 Inet6SocketAddress::ConvertFrom(local).GetIpv6() != Ipv6Address::GetAny());
            if (specific)
            {
                conn.m_clientAddress = QuicPath::AddressToString(local);
            }
        }
        conn.m_serverAddress = SocketText(serverIp, QUIC_MIGRATION_SERVER_PORT, cfg.m_ipv6);
        if (conn.m_transferComplete && conn.m_transferCompleteNs > conn.m_transferStartNs)
        {
            conn.m_goodputBps = double(conn.m_deliveredBytes) * 8.0 /
                                (double(conn.m_transferCompleteNs - conn.m_transferStartNs) * 1e-9);
        }
        conn.m_paths = observer.Finish();
        if (cfg.m_preferredAddress)
        {
            conn.m_preferredAddress =
                QuicPath::AddressToString(socketAddress(preferredIp, QUIC_MIGRATION_SERVER_PORT));
            conn.m_clientOnPreferred = run.m_client && run.m_client->IsOnPreferredAddress();
            conn.m_serverOnPreferred = run.m_server && run.m_server->IsOnPreferredAddress();
            conn.m_preferredSwitchNs = run.m_preferredSwitchNs;
        }
        result.m_connections.push_back(conn);
        for (uint32_t dir = 0; dir < 2; ++dir)
        {
            result.m_linkLossDrops[dir] = run.m_linkLoss[dir];
            result.m_queueDrops[dir] = run.m_queueDrops[dir];
        }
        run.CollectAttacks();
        result.m_events = run.m_events;
        run.m_client = nullptr;
        run.m_server = nullptr;
        Simulator::Destroy();
    }
}

/// Write the endpoint object of a connection.
void
WriteEndpoint(JsonWriter& w, const ScenarioEndpointResult& r)
{
    w.BeginObject();
    w.Key("present");
    w.Bool(r.m_present);
    w.Key("state");
    if (r.m_present)
    {
        w.String(r.m_state);
    }
    else
    {
        w.Null();
    }
    w.Key("handshake_complete");
    w.Bool(r.m_handshakeComplete);
    w.Key("handshake_confirmed");
    w.Bool(r.m_handshakeConfirmed);
    w.Key("handshake_complete_time");
    w.SecondsOrNull(r.m_handshakeCompleteNs);
    w.Key("handshake_confirmed_time");
    w.SecondsOrNull(r.m_handshakeConfirmedNs);
    w.Key("first_initial_sent_time");
    w.SecondsOrNull(r.m_firstInitialSentNs);
    w.Key("first_1rtt_sent_time");
    w.SecondsOrNull(r.m_first1RttSentNs);
    w.Key("first_stream_data_sent_time");
    w.SecondsOrNull(r.m_firstStreamDataSentNs);
    w.Key("packets_sent");
    w.Uint(r.m_packetsSent);
    w.Key("packets_received");
    w.Uint(r.m_packetsReceived);
    w.Key("packets_lost");
    w.Uint(r.m_packetsLost);
    w.Key("packets_dropped");
    w.Uint(r.m_packetsDropped);
    w.Key("datagrams_sent");
    w.Uint(r.m_datagramsSent);
    w.Key("datagrams_received");
    w.Uint(r.m_datagramsReceived);
    w.Key("bytes_sent");
    w.Uint(r.m_bytesSent);
    w.Key("bytes_received");
    w.Uint(r.m_bytesReceived);
    w.Key("stream_bytes_sent");
    w.Uint(r.m_streamBytesSent);
    w.Key("stream_bytes_delivered");
    w.Uint(r.m_streamBytesDelivered);
    w.Key("pto_count");
    w.Uint(r.m_ptoCount);
    w.Key("max_datagram_size");
    w.Uint(r.m_maxDatagramSize);
    w.Key("final_cwnd");
    w.Uint(r.m_finalCwnd);
    w.Key("final_srtt");
    w.Seconds(r.m_finalSrttNs);
    w.Key("close_error_code");
    w.Uint(r.m_closeErrorCode);
    w.EndObject();
}

/// Write a series object.
void
WriteSeries(JsonWriter& w,
            const ScenarioSeries& s,
            const std::string& unit,
            const std::string& side,
            bool valuesAreTimes)
{
    w.BeginObject();
    w.Key("unit");
    w.String(unit);
    w.Key("side");
    w.String(side);
    w.Key("changes");
    w.Uint(s.m_changes);
    w.Key("stride");
    w.Uint(s.m_stride);
    w.Key("points");
    w.Uint(s.m_timeNs.size());
    w.Key("t");
    w.BeginArray(true);
    for (int64_t t : s.m_timeNs)
    {
        w.Seconds(t);
    }
    w.EndArray();
    w.Key("v");
    w.BeginArray(true);
    for (int64_t v : s.m_value)
    {
        if (valuesAreTimes)
        {
            w.Seconds(v);
        }
        else
        {
            w.Int(v);
        }
    }
    w.EndArray();
    w.EndObject();
}

/// Write the "attack" object of an attack event (doc/summary.schema.json attackResult).
void
WriteAttack(JsonWriter& w, const ScenarioAttackResult& a)
{
    w.Key("attack");
    w.BeginObject();
    w.Key("source");
    if (a.m_source.empty())
    {
        w.Null();
    }
    else
    {
        w.String(a.m_source);
    }
    w.Key("injected");
    w.Uint(a.m_injected);
    w.Key("relayed");
    w.Uint(a.m_relayed);
    w.Key("bytes_to_source");
    w.Uint(a.m_bytesToSource);
    w.Key("bytes_from_source");
    w.Uint(a.m_bytesFromSource);
    w.Key("max_amplification_ratio");
    if (a.m_maxAmplificationPermille < 0)
    {
        w.Null();
    }
    else
    {
        char buf[48];
        std::snprintf(buf,
                      sizeof(buf),
                      "%" PRId64 ".%03" PRId64,
                      a.m_maxAmplificationPermille / 1000,
                      a.m_maxAmplificationPermille % 1000);
        w.Raw(buf);
    }
    w.Key("validation_failures");
    w.Uint(a.m_validationFailures);
    w.Key("fallbacks");
    w.Uint(a.m_fallbacks);
    w.Key("server_drops");
    w.Uint(a.m_serverDrops);
    w.Key("client_drops");
    w.Uint(a.m_clientDrops);
    w.Key("server_moved_to_source");
    w.Bool(a.m_serverOnSource);
    w.Key("final_server_peer");
    if (a.m_finalServerPeer.empty())
    {
        w.Null();
    }
    else
    {
        w.String(a.m_finalServerPeer);
    }
    w.EndObject();
}

/// Write one path of a connection.
void
WritePath(JsonWriter& w, const ScenarioPathResult& p)
{
    w.BeginObject();
    w.Key("side");
    w.String(p.m_side);
    w.Key("id");
    w.Uint(p.m_id);
    w.Key("local_address");
    w.String(p.m_localAddress);
    w.Key("remote_address");
    w.String(p.m_remoteAddress);
    w.Key("validated");
    w.Bool(p.m_validated);
    w.Key("active");
    w.Bool(p.m_active);
    w.Key("created_time");
    w.SecondsOrNull(p.m_createdNs);
    w.Key("validated_time");
    w.SecondsOrNull(p.m_validatedNs);
    w.Key("active_duration");
    w.Seconds(p.m_activeNs);
    w.Key("bytes_sent");
    w.Uint(p.m_bytesSent);
    w.Key("bytes_received");
    w.Uint(p.m_bytesReceived);
    w.Key("packets_sent");
    w.Uint(p.m_packetsSent);
    w.Key("packets_received");
    w.Uint(p.m_packetsReceived);
    w.Key("packets_lost");
    w.Uint(p.m_packetsLost);
    w.Key("final_cwnd");
    w.Uint(p.m_finalCwnd);
    w.Key("final_srtt");
    w.Seconds(p.m_finalSrttNs);
    w.Key("series");
    w.BeginObject();
    w.Key("stride");
    w.Uint(p.m_seriesStride);
    w.Key("points");
    w.Uint(p.m_seriesTimeNs.size());
    auto array = [&w](const char* key, const std::vector<int64_t>& v, bool times) {
        w.Key(key);
        w.BeginArray(true);
        for (int64_t x : v)
        {
            if (times)
            {
                w.Seconds(x);
            }
            else
            {
                w.Int(x);
            }
        }
        w.EndArray();
    };
    array("t", p.m_seriesTimeNs, true);
    array("cwnd", p.m_seriesCwnd, false);
    array("srtt", p.m_seriesSrttNs, true);
    array("bytes_sent", p.m_seriesBytesSent, false);
    array("bytes_received", p.m_seriesBytesReceived, false);
    array("active", p.m_seriesActive, false);
    w.EndObject();
    w.EndObject();
}

/// Write one event (configured part).
void
WriteEventConfig(JsonWriter& w, const ScenarioEvent& ev)
{
    w.Key("time");
    w.Seconds(ev.m_time.GetNanoSeconds());
    w.Key("type");
    w.String(ev.m_type);
    w.Key("params");
    w.BeginObject();
    for (const auto& p : ev.m_params)
    {
        w.Key(p.first);
        w.String(p.second);
    }
    w.EndObject();
}

} // namespace

// =============================================================================================
// Public functions
// =============================================================================================

const char*
ScenarioLossDirectionName(ScenarioLossDirection direction)
{
    switch (direction)
    {
    case ScenarioLossDirection::BOTH:
        return "both";
    case ScenarioLossDirection::CLIENT_TO_SERVER:
        return "client-to-server";
    case ScenarioLossDirection::SERVER_TO_CLIENT:
        return "server-to-client";
    }
    return "both";
}

bool
ParseScenarioTime(const std::string& text, Time& value)
{
    static const std::regex re(
        "^\\s*([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\\s*([a-z]*)\\s*$");
    std::smatch m;
    if (!std::regex_match(text, m, re))
    {
        return false;
    }
    double number = std::strtod(m[1].str().c_str(), nullptr);
    std::string unit = m[2].str();
    double factor = 0;
    if (unit.empty() || unit == "s")
    {
        factor = 1e9;
    }
    else if (unit == "ms")
    {
        factor = 1e6;
    }
    else if (unit == "us")
    {
        factor = 1e3;
    }
    else if (unit == "ns")
    {
        factor = 1;
    }
    else if (unit == "min")
    {
        factor = 60e9;
    }
    else if (unit == "h")
    {
        factor = 3600e9;
    }
    else
    {
        return false;
    }
    double ns = number * factor;
    if (!std::isfinite(ns) || std::fabs(ns) > 9.0e18)
    {
        return false;
    }
    value = NanoSeconds(int64_t(std::llround(ns)));
    return true;
}

bool
ParseScenarioDataRate(const std::string& text, uint64_t& bps)
{
    static const std::regex re("^([0-9]+(?:\\.[0-9]+)?)([A-Za-z/]*)$");
    std::smatch m;
    if (!std::regex_match(text, m, re))
    {
        return false;
    }
    if (m[2].str().empty())
    {
        uint64_t v = 0;
        if (!ParseUnsigned(m[1].str(), ~0ULL, v))
        {
            return false;
        }
        bps = v;
        return true;
    }
    DataRateValue v;
    if (!v.DeserializeFromString(text, MakeDataRateChecker()))
    {
        return false;
    }
    bps = v.Get().GetBitRate();
    return true;
}

bool
ParseScenarioEvent(const std::string& text, ScenarioEvent& event, std::string& error)
{
    ScenarioEvent ev;
    size_t c1 = text.find(':');
    if (c1 == std::string::npos)
    {
        error = "invalid event '" + text + "': expected TIME:TYPE[:KEY=VALUE,...]";
        return false;
    }
    if (!ParseScenarioTime(text.substr(0, c1), ev.m_time))
    {
        error = "invalid event '" + text + "': '" + text.substr(0, c1) + "' is not a time";
        return false;
    }
    size_t c2 = text.find(':', c1 + 1);
    ev.m_type = text.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
    static const std::regex typeRe("^[a-z0-9][a-z0-9_-]*$");
    if (!std::regex_match(ev.m_type, typeRe))
    {
        error = "invalid event '" + text + "': the type must be lower-case letters, digits, '-'";
        return false;
    }
    if (c2 != std::string::npos)
    {
        std::string params = text.substr(c2 + 1);
        std::istringstream is(params);
        std::string item;
        while (std::getline(is, item, ','))
        {
            size_t eq = item.find('=');
            if (eq == std::string::npos || eq == 0)
            {
                error = "invalid event '" + text + "': parameter '" + item + "' is not KEY=VALUE";
                return false;
            }
            ev.m_params[item.substr(0, eq)] = item.substr(eq + 1);
        }
    }
    event = ev;
    return true;
}

std::vector<std::string>
GetSupportedScenarioEventTypes()
{
    return {"attack-copy-race",
            "attack-inject",
            "attack-reset",
            "attack-victim",
            "linkdown",
            "linkup",
            "migrate",
            "rebind",
            "renumber",
            "route"};
}

std::vector<ScenarioOptionInfo>
GetScenarioOptions()
{
    std::vector<ScenarioOptionInfo> v;
    for (const auto& e : OptionTable())
    {
        v.push_back(e.m_info);
    }
    return v;
}

bool
SetScenarioOption(ScenarioConfig& config,
                  const std::string& name,
                  const std::string& value,
                  std::string& error)
{
    for (const auto& e : OptionTable())
    {
        if (e.m_info.m_name == name)
        {
            return e.m_set(config, value, error);
        }
    }
    error = "unknown scenario option '" + name + "'";
    return false;
}

/**
 * \brief Check the parameters of an attack event.
 * \param ev the event
 * \param ipv6 the scenario uses IPv6
 * \return an empty string if valid, else a one-line message
 */
static std::string
ValidateAttackEvent(const ScenarioEvent& ev, bool ipv6)
{
    const std::string where = " of the " + ev.m_type + " event at " + DescribeTime(ev.m_time);
    if (ipv6)
    {
        return "the " + ev.m_type + " event at " + DescribeTime(ev.m_time) +
               " needs IPv4: the attacker models are IPv4 only";
    }
    std::map<std::string, std::string> kinds{{"attack-copy-race", "duration relay copies"},
                                             {"attack-victim", "duration"},
                                             {"attack-inject", "mode count interval target"},
                                             {"attack-reset", "count interval"}};
    auto kind = kinds.find(ev.m_type);
    if (kind == kinds.end())
    {
        return "unknown attack event type '" + ev.m_type + "'";
    }
    for (const auto& p : ev.m_params)
    {
        if ((" " + kind->second + " ").find(" " + p.first + " ") == std::string::npos)
        {
            return "unknown parameter '" + p.first + "'" + where + " (known: " + kind->second + ")";
        }
        Time t;
        uint64_t n = 0;
        if ((p.first == "duration" || p.first == "interval") &&
            (!ParseScenarioTime(p.second, t) || !t.IsStrictlyPositive()))
        {
            return "invalid " + p.first + " '" + p.second + "'" + where +
                   ": expected a positive time";
        }
        if ((p.first == "count" || p.first == "copies") && !ParseUnsigned(p.second, 10000000, n))
        {
            return "invalid " + p.first + " '" + p.second + "'" + where +
                   ": expected an integer in [0, 10000000]";
        }
        if (p.first == "relay" && p.second != "0" && p.second != "1")
        {
            return "invalid relay '" + p.second + "'" + where + ": expected 0 or 1";
        }
        if (p.first == "mode" && p.second != "random" && p.second != "short" &&
            p.second != "guess" && p.second != "replay")
        {
            return "invalid mode '" + p.second + "'" + where +
                   ": expected random, short, guess or replay";
        }
        if (p.first == "target" && p.second != "server" && p.second != "client")
        {
            return "invalid target '" + p.second + "'" + where + ": expected server or client";
        }
    }
    return "";
}

std::string
ValidateScenarioConfig(const ScenarioConfig& c)
{
    if (!c.m_access.empty())
    {
        std::vector<QuicAccessNetworkConfig> access;
        std::string error;
        if (!QuicMigrationTopologyHelper::ParseAccessList(c.m_access, access, error))
        {
            return "invalid access '" + c.m_access + "': " + error;
        }
        if (c.m_ipv6)
        {
            return "access networks are IPv4 only: ipv6 cannot be combined with access";
        }
    }
    if (c.m_dataRateBps == 0)
    {
        return "invalid data-rate: must be positive";
    }
    if (c.m_delay.IsStrictlyNegative())
    {
        return "invalid delay " + DescribeTime(c.m_delay) + ": must not be negative";
    }
    if (!std::isfinite(c.m_lossRate) || c.m_lossRate < 0.0 || c.m_lossRate >= 1.0)
    {
        return "invalid loss " + FormatDouble(c.m_lossRate) + ": must be in [0, 1)";
    }
    if (c.m_queuePackets == 0)
    {
        return "invalid queue 0: the device queue needs at least 1 packet";
    }

    struct NamedTime
    {
        const char* name;
        Time value;
    };

    for (const NamedTime& t : {NamedTime{"start-time", c.m_startTime},
                               NamedTime{"stop-time", c.m_stopTime},
                               NamedTime{"stop-margin", c.m_stopMargin},
                               NamedTime{"max-time", c.m_maxTime},
                               NamedTime{"initial-rtt", c.m_initialRtt}})
    {
        if (t.value.IsStrictlyNegative())
        {
            return std::string("invalid ") + t.name + " " + DescribeTime(t.value) +
                   ": must not be negative";
        }
    }
    if (c.m_stopTime.IsZero() && c.m_maxTime <= c.m_startTime)
    {
        return "invalid max-time " + DescribeTime(c.m_maxTime) + ": must be after start-time " +
               DescribeTime(c.m_startTime);
    }
    if (!c.m_stopTime.IsZero() && c.m_stopTime <= c.m_startTime)
    {
        return "invalid stop-time " + DescribeTime(c.m_stopTime) + ": must be after start-time " +
               DescribeTime(c.m_startTime);
    }
    if (c.m_seed == 0 || c.m_seed >= 4294967087U)
    {
        return "invalid seed " + std::to_string(c.m_seed) + ": must be in [1, 4294967086]";
    }
    if (c.m_seriesMaxPoints < 2)
    {
        return "invalid series-max-points " + std::to_string(c.m_seriesMaxPoints) +
               ": must be at least 2";
    }
    if (c.m_preferredAddress && !c.m_access.empty())
    {
        return "preferred-address needs the single-link topology: not available with access";
    }
    if (c.m_seriesInterval.IsStrictlyNegative() ||
        (c.m_seriesInterval.IsStrictlyPositive() && c.m_seriesInterval < MilliSeconds(1)))
    {
        return "invalid series-interval " + DescribeTime(c.m_seriesInterval) +
               ": must be 0 (no per-path series) or at least 1ms";
    }
    if (c.m_pcapPrefix.empty() || c.m_pcapPrefix.find('/') != std::string::npos)
    {
        return "invalid pcap-prefix '" + c.m_pcapPrefix + "': must be a non-empty file name";
    }
    ResolvedQuic quic;
    std::string err = ResolveQuic(c, quic);
    if (!err.empty())
    {
        return err;
    }
    uint32_t ipHeader = c.m_ipv6 ? 40 : 20;
    uint32_t need = quic.m_maxUdpPayloadSize + 8 + ipHeader;
    if (c.m_mtu > 65535)
    {
        return "invalid mtu " + std::to_string(c.m_mtu) + ": must be at most 65535";
    }
    if (c.m_mtu < need)
    {
        return "invalid mtu " + std::to_string(c.m_mtu) + ": QUIC datagrams of " +
               std::to_string(quic.m_maxUdpPayloadSize) +
               " bytes (max-udp-payload-size; at least 1200, RFC 9000 §14) need " +
               std::to_string(need) + " bytes with the UDP and " + (c.m_ipv6 ? "IPv6" : "IPv4") +
               " headers";
    }
    std::vector<std::string> supported = GetSupportedScenarioEventTypes();
    for (const auto& ev : c.m_events)
    {
        if (std::find(supported.begin(), supported.end(), ev.m_type) == supported.end())
        {
            std::string list;
            for (const auto& s : supported)
            {
                list += (list.empty() ? "" : ", ") + s;
            }
            return "event type '" + ev.m_type + "' (at " + DescribeTime(ev.m_time) +
                   ") is not supported yet; supported event types: " +
                   (list.empty() ? std::string("none") : list);
        }
        if (ev.m_time.IsStrictlyNegative())
        {
            return "invalid event time " + DescribeTime(ev.m_time) + ": must not be negative";
        }
        if (IsAttackEvent(ev.m_type))
        {
            if (!c.m_access.empty())
            {
                return "the " + ev.m_type + " event at " + DescribeTime(ev.m_time) +
                       " needs the single-link topology: attack events are not available "
                       "with access";
            }
            std::string error = ValidateAttackEvent(ev, c.m_ipv6);
            if (!error.empty())
            {
                return error;
            }
            continue;
        }
        std::string accessError = ValidateAccessEvent(c, ev);
        if (!accessError.empty())
        {
            return accessError;
        }
        for (const auto& p : ev.m_params)
        {
            if (p.first == "if")
            {
                continue; // checked by ValidateAccessEvent
            }
            if (ev.m_type == "migrate" && p.first == "policy")
            {
                if (p.second != "probe" && p.second != "switch")
                {
                    return "invalid policy '" + p.second + "' of the migrate event at " +
                           DescribeTime(ev.m_time) + ": expected probe or switch";
                }
                continue;
            }
            return "unknown parameter '" + p.first + "' of the " + ev.m_type + " event at " +
                   DescribeTime(ev.m_time) +
                   (ev.m_type == "migrate"  ? " (known: policy, if)"
                    : ev.m_type == "rebind" ? " (it takes none)"
                                            : " (known: if)");
        }
        if (ev.m_type == "migrate" && c.m_ipv6)
        {
            return "the migrate event at " + DescribeTime(ev.m_time) +
                   " needs IPv4: client migration is not supported with ipv6";
        }
    }
    return CheckOutputDirectory(c.m_outputDirectory);
}

std::string
ScenarioSummaryJson(const ScenarioConfig& c, const ScenarioResult& r)
{
    ResolvedQuic quic;
    ResolveQuic(c, quic);
    JsonWriter w;
    w.BeginObject();
    w.Key("schema_version");
    w.Uint(QUIC_MIGRATION_SUMMARY_SCHEMA_VERSION);
    w.Key("module");
    w.BeginObject();
    w.Key("name");
    w.String("quic-migration");
    w.Key("version");
    w.String(QUIC_MIGRATION_VERSION);
    w.Key("ns3_version");
    w.String("3.37");
    w.EndObject();

    // ---- configuration echo (keys = option names) ----
    w.Key("config");
    w.BeginObject();
    w.Key("data-rate");
    w.Uint(c.m_dataRateBps);
    w.Key("delay");
    w.Seconds(c.m_delay.GetNanoSeconds());
    w.Key("loss");
    w.Raw(FormatDouble(c.m_lossRate));
    w.Key("loss-direction");
    w.String(ScenarioLossDirectionName(c.m_lossDirection));
    w.Key("queue");
    w.Uint(c.m_queuePackets);
    w.Key("mtu");
    w.Uint(c.m_mtu);
    w.Key("ipv6");
    w.Bool(c.m_ipv6);
    w.Key("access");
    w.String(c.m_access);
    w.Key("bytes");
    w.Uint(c.m_transferBytes);
    w.Key("start-time");
    w.Seconds(c.m_startTime.GetNanoSeconds());
    w.Key("stop-time");
    w.Seconds(c.m_stopTime.GetNanoSeconds());
    w.Key("stop-margin");
    w.Seconds(c.m_stopMargin.GetNanoSeconds());
    w.Key("max-time");
    w.Seconds(c.m_maxTime.GetNanoSeconds());
    w.Key("seed");
    w.Uint(c.m_seed);
    w.Key("run");
    w.Uint(c.m_run);
    w.Key("pcap");
    w.Bool(c.m_pcap);
    w.Key("pcap-prefix");
    w.String(c.m_pcapPrefix);
    w.Key("keylog");
    w.Bool(c.m_keyLog);
    w.Key("qlog");
    w.Bool(c.m_qlog);
    w.Key("series-max-points");
    w.Uint(c.m_seriesMaxPoints);
    w.Key("series-interval");
    w.Seconds(c.m_seriesInterval.GetNanoSeconds());
    w.Key("preferred-address");
    w.Bool(c.m_preferredAddress);
    w.Key("max-udp-payload-size");
    w.Uint(quic.m_maxUdpPayloadSize);
    w.Key("certificate-size");
    w.Uint(quic.m_certificateSize);
    w.Key("cc");
    w.String(quic.m_congestionControl.GetName());
    w.Key("initial-rtt");
    w.Seconds(quic.m_initialRtt.GetNanoSeconds());
    w.Key("event");
    w.BeginArray();
    for (const auto& ev : c.m_events)
    {
        w.BeginObject();
        WriteEventConfig(w, ev);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();

    // ---- topology ----
    w.Key("topology");
    w.BeginObject();
    WriteTopologyNodes(w, c);
    w.Key("server_port");
    w.Uint(QUIC_MIGRATION_SERVER_PORT);
    w.Key("address_family");
    w.String(c.m_ipv6 ? "ipv6" : "ipv4");
    w.EndObject();

    // ---- run ----
    w.Key("run");
    w.BeginObject();
    w.Key("end_time");
    w.Seconds(r.m_endNs);
    w.Key("stop_reason");
    w.String(r.m_stopReason);
    w.EndObject();

    // ---- connections ----
    uint64_t delivered = 0;
    uint64_t requested = 0;
    uint64_t sent = 0;
    uint64_t lost = 0;
    uint64_t dropped = 0;
    uint64_t confirmed = 0;
    uint64_t complete = 0;
    uint64_t patternErrors = 0;
    w.Key("connections");
    w.BeginArray();
    for (const auto& conn : r.m_connections)
    {
        delivered += conn.m_deliveredBytes;
        requested += conn.m_requestedBytes;
        sent += conn.m_client.m_packetsSent + conn.m_server.m_packetsSent;
        lost += conn.m_client.m_packetsLost + conn.m_server.m_packetsLost;
        dropped += conn.m_client.m_packetsDropped + conn.m_server.m_packetsDropped;
        confirmed += conn.m_client.m_handshakeConfirmed ? 1 : 0;
        complete += conn.m_transferComplete ? 1 : 0;
        patternErrors += conn.m_patternErrors;

        w.BeginObject();
        w.Key("id");
        w.Uint(conn.m_id);
        w.Key("client_address");
        w.String(conn.m_clientAddress);
        w.Key("server_address");
        w.String(conn.m_serverAddress);
        w.Key("handshake_duration");
        if (conn.m_client.m_handshakeConfirmedNs >= 0 && conn.m_client.m_firstInitialSentNs >= 0)
        {
            w.Seconds(conn.m_client.m_handshakeConfirmedNs - conn.m_client.m_firstInitialSentNs);
        }
        else
        {
            w.Null();
        }
        w.Key("transfer");
        w.BeginObject();
        w.Key("requested_bytes");
        w.Uint(conn.m_requestedBytes);
        w.Key("delivered_bytes");
        w.Uint(conn.m_deliveredBytes);
        w.Key("pattern_errors");
        w.Uint(conn.m_patternErrors);
        w.Key("complete");
        w.Bool(conn.m_transferComplete);
        w.Key("start_time");
        w.SecondsOrNull(conn.m_transferStartNs);
        w.Key("completion_time");
        w.SecondsOrNull(conn.m_transferCompleteNs);
        w.Key("duration");
        if (conn.m_transferComplete && conn.m_transferStartNs >= 0)
        {
            w.Seconds(conn.m_transferCompleteNs - conn.m_transferStartNs);
        }
        else
        {
            w.Null();
        }
        w.Key("goodput_bps");
        w.Uint(uint64_t(std::llround(conn.m_goodputBps)));
        w.EndObject();
        w.Key("client");
        WriteEndpoint(w, conn.m_client);
        w.Key("server");
        WriteEndpoint(w, conn.m_server);
        w.Key("series");
        w.BeginObject();
        w.Key("cwnd");
        WriteSeries(w, conn.m_cwnd, "bytes", "client", false);
        w.Key("srtt");
        WriteSeries(w, conn.m_srtt, "s", "client", true);
        w.Key("delivered");
        WriteSeries(w, conn.m_delivered, "bytes", "server", false);
        w.EndObject();
        w.Key("paths");
        w.BeginArray();
        for (const auto& p : conn.m_paths)
        {
            WritePath(w, p);
        }
        w.EndArray();
        if (!conn.m_preferredAddress.empty())
        {
            w.Key("preferred_address");
            w.BeginObject();
            w.Key("address");
            w.String(conn.m_preferredAddress);
            w.Key("client_moved");
            w.Bool(conn.m_clientOnPreferred);
            w.Key("server_moved");
            w.Bool(conn.m_serverOnPreferred);
            w.Key("client_switch_time");
            if (conn.m_preferredSwitchNs >= 0)
            {
                w.Seconds(conn.m_preferredSwitchNs);
            }
            else
            {
                w.Null();
            }
            w.EndObject();
        }
        w.EndObject();
    }
    w.EndArray();

    // ---- totals ----
    w.Key("totals");
    w.BeginObject();
    w.Key("connections");
    w.Uint(r.m_connections.size());
    w.Key("handshakes_confirmed");
    w.Uint(confirmed);
    w.Key("transfers_complete");
    w.Uint(complete);
    w.Key("requested_bytes");
    w.Uint(requested);
    w.Key("delivered_bytes");
    w.Uint(delivered);
    w.Key("pattern_errors");
    w.Uint(patternErrors);
    w.Key("packets_sent");
    w.Uint(sent);
    w.Key("packets_lost");
    w.Uint(lost);
    w.Key("packets_dropped");
    w.Uint(dropped);
    w.Key("link_loss_drops");
    w.BeginObject();
    w.Key("client_to_server");
    w.Uint(r.m_linkLossDrops[0]);
    w.Key("server_to_client");
    w.Uint(r.m_linkLossDrops[1]);
    w.EndObject();
    w.Key("queue_drops");
    w.BeginObject();
    w.Key("client_to_server");
    w.Uint(r.m_queueDrops[0]);
    w.Key("server_to_client");
    w.Uint(r.m_queueDrops[1]);
    w.EndObject();
    w.EndObject();

    // ---- events ----
    w.Key("events");
    w.BeginArray();
    for (const auto& er : r.m_events)
    {
        w.BeginObject();
        WriteEventConfig(w, er.m_event);
        w.Key("executed");
        w.Bool(er.m_executed);
        w.Key("executed_time");
        w.SecondsOrNull(er.m_executedNs);
        w.Key("outcome");
        w.String(er.m_outcome);
        w.Key("detail");
        w.String(er.m_detail);
        w.Key("new_address");
        if (er.m_newAddress.empty())
        {
            w.Null();
        }
        else
        {
            w.String(er.m_newAddress);
        }
        w.Key("validation_time");
        w.SecondsOrNull(er.m_validationNs);
        w.Key("switch_time");
        w.SecondsOrNull(er.m_switchNs);
        w.Key("migration_delay");
        w.SecondsOrNull(er.m_migrationDelayNs);
        w.Key("bytes_to_unvalidated");
        w.Uint(er.m_bytesToUnvalidated);
        w.Key("received_from_unvalidated");
        w.Uint(er.m_receivedFromUnvalidated);
        w.Key("amplification_ratio");
        if (er.m_amplificationPermille < 0)
        {
            w.Null();
        }
        else
        {
            char buf[48];
            std::snprintf(buf,
                          sizeof(buf),
                          "%" PRId64 ".%03" PRId64,
                          er.m_amplificationPermille / 1000,
                          er.m_amplificationPermille % 1000);
            w.Raw(buf);
        }
        w.Key("lost_around");
        w.Uint(er.m_lostAround);
        w.Key("cwnd_before");
        if (er.m_cwndBefore < 0)
        {
            w.Null();
        }
        else
        {
            w.Uint(uint64_t(er.m_cwndBefore));
        }
        w.Key("cwnd_after");
        if (er.m_cwndAfter < 0)
        {
            w.Null();
        }
        else
        {
            w.Uint(uint64_t(er.m_cwndAfter));
        }
        if (er.m_attack.m_present)
        {
            WriteAttack(w, er.m_attack);
        }
        w.EndObject();
    }
    w.EndArray();

    // ---- files ----
    w.Key("files");
    w.BeginArray();
    for (const auto& f : r.m_files)
    {
        w.String(f);
    }
    w.EndArray();
    w.EndObject();
    return w.Str();
}

ScenarioResult
RunScenario(const ScenarioConfig& config)
{
    auto wallStart = std::chrono::steady_clock::now();
    ScenarioResult result;
    std::string err;
    try
    {
        err = ValidateScenarioConfig(config);
    }
    catch (const std::exception& e)
    {
        err = std::string("invalid configuration: ") + e.what();
    }
    if (!err.empty())
    {
        result.m_status = ScenarioStatus::INVALID_CONFIG;
        result.m_error = err;
        return result;
    }
    ResolvedQuic quic;
    ResolveQuic(config, quic);

    OutputStage stage(NormalisedOutputPath(config.m_outputDirectory));
    err = stage.Create();
    if (!err.empty())
    {
        result.m_status = ScenarioStatus::OUTPUT_ERROR;
        result.m_error = err;
        return result;
    }

    uint32_t oldSeed = RngSeedManager::GetSeed();
    uint64_t oldRun = RngSeedManager::GetRun();
    RngSeedManager::SetSeed(config.m_seed);
    RngSeedManager::SetRun(config.m_run);
    try
    {
        Simulate(config, quic, stage.Path(), result);
    }
    catch (const std::exception& e)
    {
        RngSeedManager::SetSeed(oldSeed);
        RngSeedManager::SetRun(oldRun);
        Simulator::Destroy(); // releases the nodes of the failed run
        result = ScenarioResult();
        result.m_status = ScenarioStatus::RUN_ERROR;
        result.m_error = std::string("simulation failed: ") + e.what();
        return result;
    }
    RngSeedManager::SetSeed(oldSeed);
    RngSeedManager::SetRun(oldRun);
    if (result.m_status == ScenarioStatus::INTERRUPTED)
    {
        // The staging directory is removed with `stage`: nothing is left behind.
        ScenarioResult interrupted;
        interrupted.m_status = ScenarioStatus::INTERRUPTED;
        interrupted.m_error = result.m_error;
        return interrupted;
    }

    // Files, in name order; summary.json is written last.
    std::error_code ec;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(stage.Path(), ec))
    {
        files.push_back(entry.path().filename().string());
    }
    files.push_back("summary.json");
    std::sort(files.begin(), files.end());
    result.m_files = files;
    result.m_summaryJson = ScenarioSummaryJson(config, result);
    {
        std::ofstream out(stage.Path() / "summary.json", std::ios::binary | std::ios::trunc);
        out << result.m_summaryJson;
        out.close();
        if (!out)
        {
            result.m_status = ScenarioStatus::OUTPUT_ERROR;
            result.m_error = "cannot write summary.json";
            return result;
        }
    }
    err = stage.Commit(config.m_pcapPrefix);
    if (!err.empty())
    {
        result.m_status = ScenarioStatus::OUTPUT_ERROR;
        result.m_error = err;
        return result;
    }
    result.m_wallClockSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return result;
}

} // namespace ns3
