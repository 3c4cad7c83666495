/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * \file
 * \ingroup quic-migration-scenario
 * \brief pybind11 module `_quic_migration`: the scenario layer for Python.
 *
 * A thin layer over helper/quic-migration-scenario.h, not over ns-3's object
 * model: ScenarioConfig (every runner option as a typed attribute), the raw
 * result structs (read-only, times as int64 nanoseconds), ValidateScenarioConfig,
 * RunScenario and ScenarioSummaryJson. The package `quic_migration`
 * (bindings/quic_migration/) builds the public Python API on top of it.
 *
 * Rules kept here:
 *  - every input is checked before ns-3 sees it: a wrong Python type raises
 *    TypeError, a bad value ValueError (ValidateScenarioConfig's message), so no
 *    ns-3 fatal error can kill the interpreter;
 *  - Time crosses as int64 nanoseconds (int), a string with a unit ("20ms",
 *    parsed by ParseScenarioTime like the runner does) or a datetime.timedelta;
 *  - the GIL is released for the whole RunScenario call. RunScenario runs
 *    Simulator::Run in one call; the layer slices it through the scenario's
 *    progress hook (ScenarioConfig::m_progress, every `check_interval` of
 *    simulated time), which re-acquires the GIL, calls PyErr_CheckSignals and
 *    the optional Python progress callback. A pending exception (Ctrl-C or one
 *    raised by the callback) makes the hook return false: RunScenario stops the
 *    simulator, returns ScenarioStatus::INTERRUPTED and leaves no output behind,
 *    and the Python exception is re-raised;
 *  - one simulation at a time per process (ns-3's simulator is process-global):
 *    a concurrent call from another thread raises RuntimeError.
 */

#include "ns3/nstime.h"
#include "ns3/quic-migration-scenario.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace ns3;

namespace
{

// =============================================================================================
// Conversion of Python values (TypeError for a wrong type, ValueError for a bad value)
// =============================================================================================

/**
 * \param v a Python object
 * \return the name of its type, for messages
 */
std::string
TypeName(py::handle v)
{
    return py::str(py::type::handle_of(v).attr("__name__")).cast<std::string>();
}

/**
 * \brief Raise TypeError.
 * \param name option name (Python spelling)
 * \param expected what was expected
 * \param v the value given
 */
[[noreturn]] void
ThrowType(const std::string& name, const std::string& expected, py::handle v)
{
    throw py::type_error(name + ": expected " + expected + ", got " + TypeName(v));
}

/**
 * \brief Raise ValueError.
 * \param message the message
 */
[[noreturn]] void
ThrowValue(const std::string& message)
{
    throw py::value_error(message);
}

/**
 * \param v a Python object
 * \return true for bool and numpy.bool_ (both refused where an integer is expected)
 */
bool
IsBoolLike(py::handle v)
{
    return PyBool_Check(v.ptr()) || TypeName(v) == "bool_";
}

/**
 * \brief An unsigned integer option: int or any object with __index__ (numpy integers).
 * \param v the value
 * \param name option name
 * \param max largest accepted value
 * \return the value
 */
uint64_t
ToUnsigned(py::handle v, const std::string& name, uint64_t max)
{
    if (IsBoolLike(v) || !PyIndex_Check(v.ptr()))
    {
        ThrowType(name, "an int", v);
    }
    py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr()));
    if (!i)
    {
        throw py::error_already_set();
    }
    if (i < py::int_(0))
    {
        ThrowValue("invalid " + name + " " + py::str(i).cast<std::string>() +
                   ": must not be negative");
    }
    if (i > py::int_(max))
    {
        ThrowValue("invalid " + name + " " + py::str(i).cast<std::string>() + ": must be at most " +
                   std::to_string(max));
    }
    return i.cast<uint64_t>();
}

/**
 * \brief A real number option: int or float (numpy scalars included), not bool or str.
 * \param v the value
 * \param name option name
 * \return the value
 */
double
ToReal(py::handle v, const std::string& name)
{
    if (IsBoolLike(v) ||
        !(PyFloat_Check(v.ptr()) || PyIndex_Check(v.ptr()) ||
          (PyNumber_Check(v.ptr()) && py::hasattr(v, "__float__") && !PyComplex_Check(v.ptr()))))
    {
        ThrowType(name, "a float", v);
    }
    return py::float_(py::reinterpret_borrow<py::object>(v)).cast<double>();
}

/**
 * \brief A boolean option: bool or numpy.bool_ only (1/0 are refused, as ambiguous).
 * \param v the value
 * \param name option name
 * \return the value
 */
bool
ToBool(py::handle v, const std::string& name)
{
    if (!IsBoolLike(v))
    {
        ThrowType(name, "a bool", v);
    }
    return PyObject_IsTrue(v.ptr()) == 1;
}

/**
 * \brief A text option: str (or os.PathLike when pathLike), without NUL characters.
 * \param v the value
 * \param name option name
 * \param pathLike accept os.PathLike objects (os.fspath)
 * \return the text
 */
std::string
ToText(py::handle v, const std::string& name, bool pathLike = false)
{
    py::object s = py::reinterpret_borrow<py::object>(v);
    if (pathLike && !py::isinstance<py::str>(v) && py::hasattr(v, "__fspath__"))
    {
        s = py::module_::import("os").attr("fspath")(v);
    }
    if (!py::isinstance<py::str>(s))
    {
        ThrowType(name, pathLike ? "a str or os.PathLike" : "a str", v);
    }
    std::string text = s.cast<std::string>();
    if (text.find('\0') != std::string::npos)
    {
        ThrowValue("invalid " + name + ": contains a NUL character");
    }
    return text;
}

/**
 * \brief A time: int nanoseconds, str with a unit ("20ms"; a bare number is seconds, as
 * for the runner) or datetime.timedelta. A float is refused (ambiguous unit).
 * \param v the value
 * \param name option name
 * \return the time
 */
Time
ToTime(py::handle v, const std::string& name)
{
    if (py::isinstance<py::str>(v))
    {
        std::string text = ToText(v, name);
        Time t;
        if (!ParseScenarioTime(text, t))
        {
            ThrowValue("invalid " + name + " '" + text +
                       "': expected a time such as 20ms, 1.5s, 250us (a bare number is seconds)");
        }
        return t;
    }
    py::object timedelta = py::module_::import("datetime").attr("timedelta");
    py::object ns;
    if (py::isinstance(v, timedelta))
    {
        // Exact: whole microseconds times 1000.
        ns = v.attr("__floordiv__")(timedelta(0, 0, 1)).attr("__mul__")(py::int_(1000));
    }
    else if (!IsBoolLike(v) && PyIndex_Check(v.ptr()))
    {
        ns = py::reinterpret_steal<py::object>(PyNumber_Index(v.ptr()));
        if (!ns)
        {
            throw py::error_already_set();
        }
    }
    else
    {
        ThrowType(name,
                  "a time: int nanoseconds, a str with a unit such as '20ms', or "
                  "datetime.timedelta",
                  v);
    }
    int overflow = 0;
    long long value = PyLong_AsLongLongAndOverflow(ns.ptr(), &overflow);
    if (overflow != 0)
    {
        ThrowValue("invalid " + name + ": out of range of int64 nanoseconds");
    }
    if (value == -1 && PyErr_Occurred())
    {
        throw py::error_already_set();
    }
    return NanoSeconds(value);
}

/**
 * \brief A data rate: int bit/s or str in ns-3 DataRate syntax ("10Mbps").
 * \param v the value
 * \param name option name
 * \return bit/s
 */
uint64_t
ToDataRate(py::handle v, const std::string& name)
{
    if (py::isinstance<py::str>(v))
    {
        std::string text = ToText(v, name);
        uint64_t bps = 0;
        if (!ParseScenarioDataRate(text, bps))
        {
            ThrowValue("invalid " + name + " '" + text +
                       "': expected a rate such as 10Mbps, 500kbps (a bare number is bit/s)");
        }
        return bps;
    }
    if (IsBoolLike(v) || !PyIndex_Check(v.ptr()))
    {
        ThrowType(name, "an int (bit/s) or a str such as '10Mbps'", v);
    }
    return ToUnsigned(v, name, std::numeric_limits<uint64_t>::max());
}

// =============================================================================================
// Text forms (the runner's option values)
// =============================================================================================

/**
 * \param t a time
 * \return its exact text form, "<ns>ns"
 */
std::string
TimeText(const Time& t)
{
    return std::to_string(t.GetNanoSeconds()) + "ns";
}

/**
 * \param v a double
 * \return the shortest decimal text that reads back as v
 */
std::string
DoubleText(double v)
{
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

/**
 * \param ev an event
 * \return its text form TIME:TYPE[:KEY=VALUE,...] (time in ns)
 */
std::string
EventText(const ScenarioEvent& ev)
{
    std::string text = TimeText(ev.m_time) + ":" + ev.m_type;
    std::string sep = ":";
    for (const auto& p : ev.m_params)
    {
        text += sep + p.first + "=" + p.second;
        sep = ",";
    }
    return text;
}

// =============================================================================================
// The option table of the binding
// =============================================================================================

/**
 * \brief How one scenario option crosses into Python.
 */
struct OptionBinding
{
    const char* m_option; //!< runner option name, e.g. "data-rate"
    const char* m_pyName; //!< Python attribute name, e.g. "data_rate"
    const char* m_doc;    //!< attribute docstring: Python type and unit
    std::function<py::object(const ScenarioConfig&)> m_get;        //!< getter
    std::function<void(ScenarioConfig&, py::handle)> m_set;        //!< setter (type-checked)
    std::function<std::vector<std::string>(const ScenarioConfig&)> //
        m_text; //!< runner values (one per occurrence; events may repeat)
};

/// \return the binding entry of a Time field
OptionBinding
TimeOption(const char* option, const char* pyName, const char* doc, Time ScenarioConfig::*f)
{
    return {option,
            pyName,
            doc,
            [f](const ScenarioConfig& c) { return py::int_(int64_t((c.*f).GetNanoSeconds())); },
            [f, pyName](ScenarioConfig& c, py::handle v) { c.*f = ToTime(v, pyName); },
            [f](const ScenarioConfig& c) { return std::vector<std::string>{TimeText(c.*f)}; }};
}

/// \return the binding entry of an unsigned integer field of type T
template <typename T>
OptionBinding
UnsignedOption(const char* option, const char* pyName, const char* doc, T ScenarioConfig::*f)
{
    return {option,
            pyName,
            doc,
            [f](const ScenarioConfig& c) { return py::int_(uint64_t(c.*f)); },
            [f, pyName](ScenarioConfig& c, py::handle v) {
                c.*f = static_cast<T>(ToUnsigned(v, pyName, std::numeric_limits<T>::max()));
            },
            [f](const ScenarioConfig& c) {
                return std::vector<std::string>{std::to_string(uint64_t(c.*f))};
            }};
}

/// \return the binding entry of a bool field
OptionBinding
BoolOption(const char* option, const char* pyName, const char* doc, bool ScenarioConfig::*f)
{
    return {
        option,
        pyName,
        doc,
        [f](const ScenarioConfig& c) { return py::bool_(c.*f); },
        [f, pyName](ScenarioConfig& c, py::handle v) { c.*f = ToBool(v, pyName); },
        [f](const ScenarioConfig& c) { return std::vector<std::string>{c.*f ? "true" : "false"}; }};
}

/// \return the binding entry of a string field
OptionBinding
TextOption(const char* option,
           const char* pyName,
           const char* doc,
           std::string ScenarioConfig::*f,
           bool pathLike = false)
{
    return {option,
            pyName,
            doc,
            [f](const ScenarioConfig& c) { return py::str(c.*f); },
            [f, pyName, pathLike](ScenarioConfig& c, py::handle v) {
                c.*f = ToText(v, pyName, pathLike);
            },
            [f](const ScenarioConfig& c) { return std::vector<std::string>{c.*f}; }};
}

/**
 * \brief Every option of ScenarioConfig, in the order of GetScenarioOptions().
 * \return the table
 */
const std::vector<OptionBinding>&
Bindings()
{
    using C = ScenarioConfig;
    static const std::vector<OptionBinding> table = {
        {"data-rate",
         "data_rate",
         "Link data rate of each direction, bit/s (int; a str such as '10Mbps' is parsed). "
         "Default 10000000.",
         [](const C& c) { return py::int_(c.m_dataRateBps); },
         [](C& c, py::handle v) { c.m_dataRateBps = ToDataRate(v, "data_rate"); },
         [](const C& c) { return std::vector<std::string>{std::to_string(c.m_dataRateBps)}; }},
        TimeOption("delay", "delay", "One-way link delay, int ns. Default 20 ms.", &C::m_delay),
        {"loss",
         "loss",
         "Random packet loss probability in [0, 1) (float). Default 0.",
         [](const C& c) { return py::float_(c.m_lossRate); },
         [](C& c, py::handle v) { c.m_lossRate = ToReal(v, "loss"); },
         [](const C& c) { return std::vector<std::string>{DoubleText(c.m_lossRate)}; }},
        {"loss-direction",
         "loss_direction",
         "Directions that lose packets: 'both', 'client-to-server' or 'server-to-client'.",
         [](const C& c) { return py::str(ScenarioLossDirectionName(c.m_lossDirection)); },
         [](C& c, py::handle v) {
             std::string text = ToText(v, "loss_direction");
             std::string error;
             if (!SetScenarioOption(c, "loss-direction", text, error))
             {
                 ThrowValue(error);
             }
         },
         [](const C& c) {
             return std::vector<std::string>{ScenarioLossDirectionName(c.m_lossDirection)};
         }},
        UnsignedOption("queue",
                       "queue",
                       "DropTail device queue of each direction, packets (int). Default 100.",
                       &C::m_queuePackets),
        UnsignedOption("mtu", "mtu", "Link MTU, bytes (int). Default 1500.", &C::m_mtu),
        BoolOption("ipv6", "ipv6", "IPv6 addressing instead of IPv4 (bool).", &C::m_ipv6),
        TextOption("access",
                   "access",
                   "Client access networks 'TYPE:key=value,...;...' (str; TYPE p2p or csma, keys "
                   "rate, delay, loss, queue, mtu, nat). Default '' (the single link).",
                   &C::m_access),
        UnsignedOption("bytes",
                       "bytes",
                       "Stream bytes the client sends (int; 0 = handshake only). Default 1000000.",
                       &C::m_transferBytes),
        TimeOption("start-time",
                   "start_time",
                   "When the client connects, int ns. Default 100 ms.",
                   &C::m_startTime),
        TimeOption("stop-time",
                   "stop_time",
                   "Fixed end of the simulation, int ns; 0 = automatic stop. Default 0.",
                   &C::m_stopTime),
        TimeOption("stop-margin",
                   "stop_margin",
                   "Automatic stop: simulated time after completion, int ns. Default 1 s.",
                   &C::m_stopMargin),
        TimeOption("max-time",
                   "max_time",
                   "Automatic stop: upper bound of the simulation time, int ns. Default 300 s.",
                   &C::m_maxTime),
        UnsignedOption("seed", "seed", "ns-3 RNG seed (int >= 1). Default 1.", &C::m_seed),
        UnsignedOption("run", "run", "ns-3 RNG run number (int). Default 1.", &C::m_run),
        TextOption("out",
                   "out",
                   "Output directory (str or os.PathLike). Default 'quic-migration-out'.",
                   &C::m_outputDirectory,
                   true),
        BoolOption("pcap", "pcap", "Write one pcap per link device (bool).", &C::m_pcap),
        TextOption("pcap-prefix",
                   "pcap_prefix",
                   "File name prefix of the pcaps (str). Default 'quic'.",
                   &C::m_pcapPrefix),
        BoolOption("keylog", "keylog", "Write keylog.txt, the NSS key log (bool).", &C::m_keyLog),
        BoolOption("qlog", "qlog", "Write qlog 0.3 JSON-SEQ files (bool).", &C::m_qlog),
        UnsignedOption("series-max-points",
                       "series_max_points",
                       "Largest number of points per time series (int >= 2). Default 2000.",
                       &C::m_seriesMaxPoints),
        TimeOption("series-interval",
                   "series_interval",
                   "Sampling interval of the per-path series (cwnd, RTT, bytes), int ns; 0 = "
                   "none, else at least 1 ms. Default 100 ms.",
                   &C::m_seriesInterval),
        BoolOption("preferred-address",
                   "preferred_address",
                   "The server offers a preferred address (RFC 9000 §9.6) and the client moves "
                   "there after the handshake (bool; single link only).",
                   &C::m_preferredAddress),
        UnsignedOption("max-udp-payload-size",
                       "max_udp_payload_size",
                       "QuicConnection::MaxUdpPayloadSize, 1200..16383 (int; 0 = attribute "
                       "default).",
                       &C::m_maxUdpPayloadSize),
        UnsignedOption("certificate-size",
                       "certificate_size",
                       "QuicConnection::CertificateSize, 600..60000 (int; 0 = attribute default).",
                       &C::m_certificateSize),
        TextOption("cc",
                   "cc",
                   "Congestion control TypeId, e.g. 'ns3::QuicNewReno' or 'NewReno' (str; empty "
                   "= attribute default).",
                   &C::m_congestionControl),
        TimeOption("initial-rtt",
                   "initial_rtt",
                   "QuicConnection::InitialRtt, 1 ms..10 s, int ns (0 = attribute default).",
                   &C::m_initialRtt),
        {"event",
         "event",
         "Event timeline: list of 'TIME:TYPE[:KEY=VALUE,...]' str (types: rebind, "
         "migrate[:policy=probe|switch]).",
         [](const C& c) {
             py::list l;
             for (const auto& ev : c.m_events)
             {
                 l.append(py::str(EventText(ev)));
             }
             return py::object(l);
         },
         [](C& c, py::handle v) {
             if (py::isinstance<py::str>(v) ||
                 !(py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)))
             {
                 ThrowType("event", "a list of str", v);
             }
             std::vector<ScenarioEvent> events;
             for (py::handle item : v)
             {
                 ScenarioEvent ev;
                 std::string error;
                 if (!ParseScenarioEvent(ToText(item, "event"), ev, error))
                 {
                     ThrowValue(error);
                 }
                 events.push_back(ev);
             }
             c.m_events = events;
         },
         [](const C& c) {
             std::vector<std::string> v;
             for (const auto& ev : c.m_events)
             {
                 v.push_back(EventText(ev));
             }
             return v;
         }},
    };
    return table;
}

/**
 * \param name Python or runner spelling of an option
 * \return its binding, or nullptr
 */
const OptionBinding*
FindBinding(const std::string& name)
{
    for (const auto& b : Bindings())
    {
        if (name == b.m_pyName || name == b.m_option)
        {
            return &b;
        }
    }
    return nullptr;
}

/**
 * \brief Set options from keyword arguments (Python names); unknown names raise TypeError.
 * \param c the configuration
 * \param kwargs the values
 */
void
SetFromKwargs(ScenarioConfig& c, const py::dict& kwargs)
{
    for (auto item : kwargs)
    {
        std::string name = py::str(item.first).cast<std::string>();
        const OptionBinding* b = FindBinding(name);
        if (b == nullptr || name != b->m_pyName)
        {
            throw py::type_error("ScenarioConfig got an unexpected keyword argument '" + name +
                                 "' (options: ScenarioConfig.option_names())");
        }
        b->m_set(c, item.second);
    }
}

/**
 * \param c a configuration
 * \return {python name: value} for every option, in table order
 */
py::dict
ToDict(const ScenarioConfig& c)
{
    py::dict d;
    for (const auto& b : Bindings())
    {
        d[b.m_pyName] = b.m_get(c);
    }
    return d;
}

/**
 * \param c a configuration
 * \param all include options equal to their default
 * \return the runner's command-line options ("--name=value") reproducing c
 */
std::vector<std::string>
ToArgs(const ScenarioConfig& c, bool all)
{
    ScenarioConfig defaults;
    std::vector<std::string> args;
    for (const auto& b : Bindings())
    {
        std::vector<std::string> values = b.m_text(c);
        if (!all && values == b.m_text(defaults))
        {
            continue;
        }
        for (const auto& v : values)
        {
            args.push_back(std::string("--") + b.m_option + "=" + v);
        }
    }
    return args;
}

/**
 * \param c a configuration
 * \return a repr listing the options that differ from the defaults
 */
std::string
Repr(const ScenarioConfig& c)
{
    ScenarioConfig defaults;
    std::string text = "ScenarioConfig(";
    std::string sep;
    for (const auto& b : Bindings())
    {
        if (b.m_text(c) == b.m_text(defaults))
        {
            continue;
        }
        text += sep + b.m_pyName + "=" + py::repr(b.m_get(c)).cast<std::string>();
        sep = ", ";
    }
    return text + ")";
}

// =============================================================================================
// Running
// =============================================================================================

/**
 * \param cls the record class, quic_migration.TraceEvent
 * \param ev a trace event
 * \return its Python record: a TraceEvent (time_ns, side, kind, name, path, fields)
 */
py::object
TraceRecord(const py::object& cls, const ScenarioTraceEvent& ev)
{
    py::dict fields;
    for (const auto& f : ev.m_text)
    {
        fields[py::str(f.first)] = py::str(f.second);
    }
    for (const auto& f : ev.m_numbers)
    {
        fields[py::str(f.first)] = py::int_(f.second);
    }
    return cls(py::int_(ev.m_timeNs),
               py::str(ev.m_side),
               py::str(ev.m_category),
               py::str(ev.m_name),
               ev.m_pathId < 0 ? py::object(py::none()) : py::object(py::int_(ev.m_pathId)),
               fields);
}

/// Serialises runs: ns-3's simulator is process-global.
std::mutex g_runMutex;

/**
 * \brief Run one scenario with the GIL released; see the file comment.
 * \param config the scenario (copied)
 * \param onProgress None or callable(time_ns: int, delivered_bytes: int)
 * \param progressInterval simulated time between onProgress calls
 * \param checkInterval simulated time between signal checks (the slice length)
 * \return the raw results
 */
ScenarioResult
RunBound(const ScenarioConfig& config,
         py::object onProgress,
         py::object progressInterval,
         py::object checkInterval,
         py::object onEvent,
         py::object onPacket)
{
    if (!onProgress.is_none() && !PyCallable_Check(onProgress.ptr()))
    {
        ThrowType("on_progress", "a callable or None", onProgress);
    }
    if (!onEvent.is_none() && !PyCallable_Check(onEvent.ptr()))
    {
        ThrowType("on_event", "a callable or None", onEvent);
    }
    if (!onPacket.is_none() && !PyCallable_Check(onPacket.ptr()))
    {
        ThrowType("on_packet", "a callable or None", onPacket);
    }
    Time progress = ToTime(progressInterval, "progress_interval");
    Time check = ToTime(checkInterval, "check_interval");
    if (progress < MilliSeconds(1) || check < MilliSeconds(1))
    {
        ThrowValue("invalid progress_interval/check_interval: must be at least 1 ms of simulated "
                   "time");
    }
    std::string error = ValidateScenarioConfig(config);
    if (!error.empty())
    {
        ThrowValue(error);
    }

    std::unique_lock<std::mutex> lock(g_runMutex, std::try_to_lock);
    if (!lock.owns_lock())
    {
        throw std::runtime_error("a quic_migration run is already in progress in this process "
                                 "(ns-3's simulator is process-global; use quic_migration.sweep "
                                 "for parallel runs)");
    }

    ScenarioConfig cfg = config;
    std::shared_ptr<py::error_already_set> pending;
    int64_t nextProgressNs = onProgress.is_none() ? -1 : progress.GetNanoSeconds();
    cfg.m_progressInterval = onProgress.is_none() ? check : std::min(check, progress);
    // Trace events are buffered while the simulator runs (no GIL, no Python object) and handed
    // to the Python callbacks between slices, with the GIL held.
    std::vector<ScenarioTraceEvent> buffer;
    bool wantEvents = !onEvent.is_none();
    bool wantPackets = !onPacket.is_none();
    if (wantEvents || wantPackets)
    {
        cfg.m_tracePackets = wantPackets;
        cfg.m_trace = [&buffer, wantEvents](const ScenarioTraceEvent& ev) {
            if (wantEvents || ev.m_category == "packet")
            {
                buffer.push_back(ev);
            }
        };
    }
    // Deliver the buffered events; false (and `pending` set) if a callback raised.
    auto flush = [&]() {
        std::vector<ScenarioTraceEvent> events;
        events.swap(buffer);
        if (events.empty())
        {
            return true;
        }
        try
        {
            py::object cls = py::module_::import("quic_migration._core").attr("TraceEvent");
            for (const auto& ev : events)
            {
                py::object& target = ev.m_category == "packet" ? onPacket : onEvent;
                if (!target.is_none())
                {
                    target(TraceRecord(cls, ev));
                }
            }
        }
        catch (py::error_already_set& e)
        {
            pending = std::make_shared<py::error_already_set>(std::move(e));
            return false;
        }
        return true;
    };
    cfg.m_progress = [&](Time now, uint64_t delivered) {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0)
        {
            pending = std::make_shared<py::error_already_set>();
            return false; // RunScenario stops cleanly and returns INTERRUPTED
        }
        if (!flush())
        {
            return false;
        }
        if (nextProgressNs >= 0 && now.GetNanoSeconds() >= nextProgressNs)
        {
            while (nextProgressNs <= now.GetNanoSeconds())
            {
                nextProgressNs += progress.GetNanoSeconds();
            }
            try
            {
                onProgress(int64_t(now.GetNanoSeconds()), delivered);
            }
            catch (py::error_already_set& e)
            {
                pending = std::make_shared<py::error_already_set>(std::move(e));
                return false;
            }
        }
        return true;
    };

    ScenarioResult result;
    {
        py::gil_scoped_release release;
        result = RunScenario(cfg);
    }
    cfg.m_progress = nullptr; // drop the references to this frame
    cfg.m_trace = nullptr;
    if (!pending && result.m_status == ScenarioStatus::OK)
    {
        flush(); // the events of the last slice
    }
    if (pending)
    {
        throw *pending;
    }
    switch (result.m_status)
    {
    case ScenarioStatus::OK:
        break;
    case ScenarioStatus::INVALID_CONFIG:
        ThrowValue(result.m_error);
    case ScenarioStatus::OUTPUT_ERROR:
        PyErr_SetString(PyExc_OSError, result.m_error.c_str());
        throw py::error_already_set();
    case ScenarioStatus::RUN_ERROR:
        throw std::runtime_error(result.m_error);
    case ScenarioStatus::INTERRUPTED:
        PyErr_SetString(PyExc_KeyboardInterrupt, "run interrupted");
        throw py::error_already_set();
    }
    return result;
}

// =============================================================================================
// Module areas
// =============================================================================================

/**
 * \brief ScenarioConfig and the option table.
 * \param m the module
 */
void
init_config(py::module_& m)
{
    py::class_<ScenarioConfig> cls(m, "ScenarioConfig", R"doc(
Every option of the scenario runner quic-migration-sim, with the runner's defaults.

Attribute names are the runner's option names with '-' replaced by '_'
(data_rate, delay, loss, ..., out, pcap, keylog, qlog). Times are int
nanoseconds (a str with a unit such as '20ms', or a datetime.timedelta, is
accepted when setting); data_rate is int bit/s (a str such as '10Mbps' is
accepted). A wrong type raises TypeError, an unparsable value ValueError;
range checks that need the whole configuration are done by
quic_migration.validate() and run().

    ScenarioConfig(bytes=100_000, delay='5ms', loss=0.01, out='results/r1')
)doc");
    cls.def(py::init([](py::kwargs kwargs) {
                ScenarioConfig c;
                SetFromKwargs(c, kwargs);
                return c;
            }),
            "Create a configuration: runner defaults, changed by keyword arguments.");
    for (const auto& b : Bindings())
    {
        const OptionBinding* pb = &b;
        cls.def_property(
            b.m_pyName,
            [pb](const ScenarioConfig& c) { return pb->m_get(c); },
            [pb](ScenarioConfig& c, py::object v) { pb->m_set(c, v); },
            b.m_doc);
    }
    cls.def("to_dict",
            &ToDict,
            "Return {python option name: value} for every option (plain Python values).");
    cls.def("to_args",
            &ToArgs,
            py::arg("all") = false,
            "Return the runner's command-line options ('--name=value') that reproduce this\n"
            "configuration: only the options that differ from the defaults unless all=True.");
    cls.def(
        "set_option",
        [](ScenarioConfig& c, const std::string& name, const std::string& value) {
            std::string error;
            if (!SetScenarioOption(c, name, value, error))
            {
                ThrowValue(error);
            }
        },
        py::arg("name"),
        py::arg("value"),
        "Set one option from its runner text form, e.g. set_option('delay', '20ms').\n"
        "name is the runner's option name; 'event' appends. Raises ValueError.");
    cls.def(
        "copy",
        [](const ScenarioConfig& c) { return ScenarioConfig(c); },
        "Return an independent copy.");
    cls.def("__copy__", [](const ScenarioConfig& c) { return ScenarioConfig(c); });
    cls.def("__deepcopy__", [](const ScenarioConfig& c, py::dict) { return ScenarioConfig(c); });
    cls.def("__repr__", &Repr);
    cls.def("__eq__", [](const ScenarioConfig& a, py::object other) -> py::object {
        if (!py::isinstance<ScenarioConfig>(other))
        {
            return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        }
        return py::bool_(ToArgs(a, true) == ToArgs(other.cast<const ScenarioConfig&>(), true));
    });
    cls.def_static(
        "option_names",
        [] {
            std::vector<std::string> names;
            for (const auto& b : Bindings())
            {
                names.push_back(b.m_pyName);
            }
            return names;
        },
        "Return the Python names of all options, in the runner's order.");
    cls.def(py::pickle([](const ScenarioConfig& c) { return ToDict(c); },
                       [](py::dict d) {
                           ScenarioConfig c;
                           SetFromKwargs(c, d);
                           return c;
                       }));

    m.def(
        "options",
        [] {
            py::list list;
            for (const auto& o : GetScenarioOptions())
            {
                const OptionBinding* b = FindBinding(o.m_name);
                py::dict d;
                d["name"] = o.m_name;
                d["python_name"] = b ? py::object(py::str(b->m_pyName)) : py::object(py::none());
                d["help"] = o.m_help;
                d["default"] = o.m_defaultValue;
                d["switch"] = o.m_isSwitch;
                d["repeatable"] = o.m_repeatable;
                list.append(d);
            }
            return list;
        },
        "Return the scenario layer's option table: one dict per option with name (runner\n"
        "spelling), python_name (None if this build of the bindings does not know it yet;\n"
        "ScenarioConfig.set_option still sets it), help, default (text), switch, repeatable.");
    m.def(
        "validate",
        [](const ScenarioConfig& c) {
            try
            {
                return ValidateScenarioConfig(c);
            }
            catch (const std::exception& e)
            {
                return std::string("invalid configuration: ") + e.what();
            }
        },
        py::arg("config"),
        "Return '' if the configuration is valid, else the scenario layer's one-line message.\n"
        "Touches nothing (no file, no directory, no simulator state).");
    m.def("supported_event_types",
          &GetSupportedScenarioEventTypes,
          "Return the event types the scenario layer can execute.");
}

/**
 * \brief The raw result structs, read-only; times are int nanoseconds (-1: never).
 * \param m the module
 */
void
init_results(py::module_& m)
{
    py::class_<ScenarioSeries>(m, "ScenarioSeries", "A bounded time series (raw).")
        .def_readonly("time_ns", &ScenarioSeries::m_timeNs, "sample times, int ns")
        .def_readonly("value", &ScenarioSeries::m_value, "sample values (unit of the series)")
        .def_readonly("stride", &ScenarioSeries::m_stride, "changes per point after decimation")
        .def_readonly("changes", &ScenarioSeries::m_changes, "changes of the traced value");

    using E = ScenarioEndpointResult;
    py::class_<E>(m, "ScenarioEndpointResult", "One side of a connection (raw).")
        .def_readonly("present", &E::m_present)
        .def_readonly("state", &E::m_state)
        .def_readonly("handshake_complete", &E::m_handshakeComplete)
        .def_readonly("handshake_confirmed", &E::m_handshakeConfirmed)
        .def_readonly("handshake_complete_ns", &E::m_handshakeCompleteNs)
        .def_readonly("handshake_confirmed_ns", &E::m_handshakeConfirmedNs)
        .def_readonly("first_initial_sent_ns", &E::m_firstInitialSentNs)
        .def_readonly("first_1rtt_sent_ns", &E::m_first1RttSentNs)
        .def_readonly("first_stream_data_sent_ns", &E::m_firstStreamDataSentNs)
        .def_readonly("packets_sent", &E::m_packetsSent)
        .def_readonly("packets_received", &E::m_packetsReceived)
        .def_readonly("packets_lost", &E::m_packetsLost)
        .def_readonly("packets_dropped", &E::m_packetsDropped)
        .def_readonly("datagrams_sent", &E::m_datagramsSent)
        .def_readonly("datagrams_received", &E::m_datagramsReceived)
        .def_readonly("bytes_sent", &E::m_bytesSent)
        .def_readonly("bytes_received", &E::m_bytesReceived)
        .def_readonly("stream_bytes_sent", &E::m_streamBytesSent)
        .def_readonly("stream_bytes_delivered", &E::m_streamBytesDelivered)
        .def_readonly("pto_count", &E::m_ptoCount)
        .def_readonly("max_datagram_size", &E::m_maxDatagramSize)
        .def_readonly("final_cwnd", &E::m_finalCwnd)
        .def_readonly("final_srtt_ns", &E::m_finalSrttNs)
        .def_readonly("close_error_code", &E::m_closeErrorCode);

    using P = ScenarioPathResult;
    py::class_<P>(m, "ScenarioPathResult", "One path of one side of a connection (raw).")
        .def_readonly("side", &P::m_side)
        .def_readonly("id", &P::m_id)
        .def_readonly("local_address", &P::m_localAddress)
        .def_readonly("remote_address", &P::m_remoteAddress)
        .def_readonly("validated", &P::m_validated)
        .def_readonly("active", &P::m_active)
        .def_readonly("created_ns", &P::m_createdNs)
        .def_readonly("validated_ns", &P::m_validatedNs)
        .def_readonly("active_ns", &P::m_activeNs)
        .def_readonly("bytes_sent", &P::m_bytesSent)
        .def_readonly("bytes_received", &P::m_bytesReceived)
        .def_readonly("packets_sent", &P::m_packetsSent)
        .def_readonly("packets_received", &P::m_packetsReceived)
        .def_readonly("packets_lost", &P::m_packetsLost)
        .def_readonly("final_cwnd", &P::m_finalCwnd)
        .def_readonly("final_srtt_ns", &P::m_finalSrttNs)
        .def_readonly("series_stride", &P::m_seriesStride)
        .def_readonly("series_time_ns", &P::m_seriesTimeNs)
        .def_readonly("series_cwnd", &P::m_seriesCwnd)
        .def_readonly("series_srtt_ns", &P::m_seriesSrttNs)
        .def_readonly("series_bytes_sent", &P::m_seriesBytesSent)
        .def_readonly("series_bytes_received", &P::m_seriesBytesReceived)
        .def_readonly("series_active", &P::m_seriesActive);

    using K = ScenarioConnectionResult;
    py::class_<K>(m, "ScenarioConnectionResult", "One connection of a run (raw).")
        .def_readonly("id", &K::m_id)
        .def_readonly("client_address", &K::m_clientAddress)
        .def_readonly("server_address", &K::m_serverAddress)
        .def_readonly("client", &K::m_client)
        .def_readonly("server", &K::m_server)
        .def_readonly("requested_bytes", &K::m_requestedBytes)
        .def_readonly("delivered_bytes", &K::m_deliveredBytes)
        .def_readonly("pattern_errors", &K::m_patternErrors)
        .def_readonly("transfer_complete", &K::m_transferComplete)
        .def_readonly("transfer_start_ns", &K::m_transferStartNs)
        .def_readonly("transfer_complete_ns", &K::m_transferCompleteNs)
        .def_readonly("goodput_bps", &K::m_goodputBps)
        .def_readonly("cwnd", &K::m_cwnd)
        .def_readonly("srtt", &K::m_srtt)
        .def_readonly("delivered", &K::m_delivered)
        .def_readonly("paths", &K::m_paths);

    py::class_<ScenarioEventResult>(m, "ScenarioEventResult", "One timeline event (raw).")
        .def_property_readonly(
            "time_ns",
            [](const ScenarioEventResult& e) { return int64_t(e.m_event.m_time.GetNanoSeconds()); })
        .def_property_readonly("type",
                               [](const ScenarioEventResult& e) { return e.m_event.m_type; })
        .def_property_readonly("params",
                               [](const ScenarioEventResult& e) { return e.m_event.m_params; })
        .def_readonly("executed", &ScenarioEventResult::m_executed)
        .def_readonly("executed_ns", &ScenarioEventResult::m_executedNs)
        .def_readonly("outcome", &ScenarioEventResult::m_outcome);

    using R = ScenarioResult;
    py::class_<R>(m, "ScenarioResult", "Everything RunScenario reports (raw).")
        .def_readonly("connections", &R::m_connections)
        .def_readonly("events", &R::m_events)
        .def_readonly("stop_reason", &R::m_stopReason)
        .def_readonly("end_ns", &R::m_endNs)
        .def_property_readonly(
            "link_loss_drops",
            [](const R& r) { return py::make_tuple(r.m_linkLossDrops[0], r.m_linkLossDrops[1]); })
        .def_property_readonly(
            "queue_drops",
            [](const R& r) { return py::make_tuple(r.m_queueDrops[0], r.m_queueDrops[1]); })
        .def_readonly("files", &R::m_files)
        .def_readonly("summary_json", &R::m_summaryJson)
        .def_readonly("wall_clock_seconds", &R::m_wallClockSeconds);
}

/**
 * \brief run_scenario and summary_json.
 * \param m the module
 */
void
init_run(py::module_& m)
{
    m.def("run_scenario",
          &RunBound,
          py::arg("config"),
          py::arg("on_progress") = py::none(),
          py::arg("progress_interval") = py::int_(1000000000),
          py::arg("check_interval") = py::int_(100000000),
          py::arg("on_event") = py::none(),
          py::arg("on_packet") = py::none(),
          R"doc(
Run one scenario (RunScenario) with the GIL released; return a ScenarioResult.

on_progress: None or callable(time_ns, delivered_bytes), called every
progress_interval of simulated time. Signals (Ctrl-C) are checked every
check_interval of simulated time; an exception raised by either aborts the
run, leaves no output behind and propagates. Raises ValueError for an invalid
configuration, OSError when an output cannot be written, RuntimeError when the
simulation fails or another run is in progress in this process.

on_event / on_packet: None or callable(TraceEvent): path, connection-ID,
handshake and timeline events / packet_sent, packet_received, packet_lost.
They are buffered during a slice of check_interval simulated time and called
between slices with the GIL held, in simulation order; an exception raised by
one stops the run like Ctrl-C (no output left behind) and propagates.)doc");
    m.def("summary_json",
          &ScenarioSummaryJson,
          py::arg("config"),
          py::arg("result"),
          "Return the summary.json text of a run (ScenarioSummaryJson).");
}

/**
 * \brief Constants of the module.
 * \param m the module
 */
void
init_info(py::module_& m)
{
    m.attr("VERSION") = QUIC_MIGRATION_VERSION;
    m.attr("SUMMARY_SCHEMA_VERSION") = QUIC_MIGRATION_SUMMARY_SCHEMA_VERSION;
    m.attr("SERVER_PORT") = QUIC_MIGRATION_SERVER_PORT;
}

} // namespace

PYBIND11_MODULE(_quic_migration, m)
{
    m.doc() = "quic-migration scenario layer (helper/quic-migration-scenario.h); use the "
              "quic_migration package";
    init_info(m);
    init_config(m);
    init_results(m);
    init_run(m);
}
