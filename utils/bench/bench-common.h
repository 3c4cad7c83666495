/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BENCH_COMMON_H
#define QUIC_BENCH_COMMON_H

// Shared by the benchmark programs of utils/bench: clocks, resident set size, and the one
// machine-readable result line ("BENCH {json}") that utils/bench/run-bench.py collects.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <malloc.h>
#include <map>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace quicbench
{

/// Wall-clock and CPU-time stopwatch (CPU = user + system time of this process).
class Stopwatch
{
  public:
    Stopwatch()
    {
        Restart();
    }

    /// Start again from now.
    void Restart()
    {
        m_wall = std::chrono::steady_clock::now();
        m_cpu = CpuSeconds();
    }

    /// \return wall seconds since the start
    double Wall() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_wall).count();
    }

    /// \return CPU seconds since the start
    double Cpu() const
    {
        return CpuSeconds() - m_cpu;
    }

    /// \return user + system CPU seconds of this process so far
    static double CpuSeconds()
    {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    }

  private:
    std::chrono::steady_clock::time_point m_wall; //!< wall start
    double m_cpu;                                 //!< CPU start
};

/// \return peak resident set size of this process in KiB (getrusage ru_maxrss)
inline uint64_t
PeakRssKiB()
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<uint64_t>(ru.ru_maxrss);
}

/// \return current resident set size in KiB (/proc/self/statm), 0 if unknown
inline uint64_t
CurrentRssKiB()
{
    std::ifstream statm("/proc/self/statm");
    uint64_t size = 0;
    uint64_t resident = 0;
    if (!(statm >> size >> resident))
    {
        return 0;
    }
    return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) / 1024;
}

/// \return bytes the C heap has handed out and not taken back, in KiB (glibc mallinfo2:
/// small-chunk arena bytes in use plus mmap-ed chunks); unlike RSS it ignores free memory the
/// allocator keeps (fragmentation, top of heap)
inline uint64_t
HeapInUseKiB()
{
    struct mallinfo2 mi = mallinfo2();
    return static_cast<uint64_t>(mi.uordblks + mi.hblkhd) / 1024;
}

/// Ordered key/value pairs printed as one JSON object.
class Result
{
  public:
    /// \param key name \param value number
    void Set(const std::string& key, double value)
    {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%.9g", value);
        Add(key, buf);
    }

    /// \param key name \param value integer
    void SetInt(const std::string& key, uint64_t value)
    {
        Add(key, std::to_string(value));
    }

    /// \param key name \param value string (no quotes or backslashes expected)
    void SetString(const std::string& key, const std::string& value)
    {
        Add(key, "\"" + value + "\"");
    }

    /// Print "BENCH {json}" on stdout.
    void Print() const
    {
        std::printf("BENCH {%s}\n", m_body.str().c_str());
        std::fflush(stdout);
    }

  private:
    /// \param key name \param json its JSON value
    void Add(const std::string& key, const std::string& json)
    {
        if (!m_body.str().empty())
        {
            m_body << ", ";
        }
        m_body << "\"" << key << "\": " << json;
    }

    std::ostringstream m_body; //!< the object's members
};

} // namespace quicbench

#endif /* QUIC_BENCH_COMMON_H */
