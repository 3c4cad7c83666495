/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-frame.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace
{

using ns3::QuicTransportError;

/// Shorthand for the decoder's success value.
constexpr QuicTransportError OK = QuicTransportError::NO_ERROR;
/// Shorthand for FRAME_ENCODING_ERROR.
constexpr QuicTransportError FEE = QuicTransportError::FRAME_ENCODING_ERROR;
/// Shorthand for PROTOCOL_VIOLATION.
constexpr QuicTransportError PV = QuicTransportError::PROTOCOL_VIOLATION;

// Packet-type bits of the "Pkts" column of RFC 9000 §12.4 Table 3.
constexpr uint8_t PKT_I = 0x1; //!< Initial
constexpr uint8_t PKT_H = 0x2; //!< Handshake
constexpr uint8_t PKT_0 = 0x4; //!< 0-RTT
constexpr uint8_t PKT_1 = 0x8; //!< 1-RTT

/// Table 3 "Pkts" per frame type 0x00-0x1e.
constexpr uint8_t ALLOWED_PACKETS[] = {
    PKT_I | PKT_H | PKT_0 | PKT_1, // 0x00 PADDING        IH01
    PKT_I | PKT_H | PKT_0 | PKT_1, // 0x01 PING           IH01
    PKT_I | PKT_H | PKT_1,         // 0x02 ACK            IH_1
    PKT_I | PKT_H | PKT_1,         // 0x03 ACK (ECN)      IH_1
    PKT_0 | PKT_1,                 // 0x04 RESET_STREAM   __01
    PKT_0 | PKT_1,                 // 0x05 STOP_SENDING   __01
    PKT_I | PKT_H | PKT_1,         // 0x06 CRYPTO         IH_1
    PKT_1,                         // 0x07 NEW_TOKEN      ___1
    PKT_0 | PKT_1,                 // 0x08 STREAM         __01
    PKT_0 | PKT_1,                 // 0x09
    PKT_0 | PKT_1,                 // 0x0a
    PKT_0 | PKT_1,                 // 0x0b
    PKT_0 | PKT_1,                 // 0x0c
    PKT_0 | PKT_1,                 // 0x0d
    PKT_0 | PKT_1,                 // 0x0e
    PKT_0 | PKT_1,                 // 0x0f
    PKT_0 | PKT_1,                 // 0x10 MAX_DATA              __01
    PKT_0 | PKT_1,                 // 0x11 MAX_STREAM_DATA       __01
    PKT_0 | PKT_1,                 // 0x12 MAX_STREAMS           __01
    PKT_0 | PKT_1,                 // 0x13
    PKT_0 | PKT_1,                 // 0x14 DATA_BLOCKED          __01
    PKT_0 | PKT_1,                 // 0x15 STREAM_DATA_BLOCKED   __01
    PKT_0 | PKT_1,                 // 0x16 STREAMS_BLOCKED       __01
    PKT_0 | PKT_1,                 // 0x17
    PKT_0 | PKT_1,                 // 0x18 NEW_CONNECTION_ID     __01
    PKT_0 | PKT_1,                 // 0x19 RETIRE_CONNECTION_ID  __01
    PKT_0 | PKT_1,                 // 0x1a PATH_CHALLENGE        __01
    PKT_1,                         // 0x1b PATH_RESPONSE         ___1
    PKT_I | PKT_H | PKT_0 | PKT_1, // 0x1c CONNECTION_CLOSE      ih01 (transport)
    PKT_0 | PKT_1,                 // 0x1d CONNECTION_CLOSE      ih01 (application)
    PKT_1,                         // 0x1e HANDSHAKE_DONE        ___1
};

/// RFC 9000 Table 3 names, indexed by frame type.
const char* const RFC_NAMES[] = {
    "PADDING",              // 0x00
    "PING",                 // 0x01
    "ACK",                  // 0x02
    "ACK",                  // 0x03
    "RESET_STREAM",         // 0x04
    "STOP_SENDING",         // 0x05
    "CRYPTO",               // 0x06
    "NEW_TOKEN",            // 0x07
    "STREAM",               // 0x08
    "STREAM",               // 0x09
    "STREAM",               // 0x0a
    "STREAM",               // 0x0b
    "STREAM",               // 0x0c
    "STREAM",               // 0x0d
    "STREAM",               // 0x0e
    "STREAM",               // 0x0f
    "MAX_DATA",             // 0x10
    "MAX_STREAM_DATA",      // 0x11
    "MAX_STREAMS",          // 0x12
    "MAX_STREAMS",          // 0x13
    "DATA_BLOCKED",         // 0x14
    "STREAM_DATA_BLOCKED",  // 0x15
    "STREAMS_BLOCKED",      // 0x16
    "STREAMS_BLOCKED",      // 0x17
    "NEW_CONNECTION_ID",    // 0x18
    "RETIRE_CONNECTION_ID", // 0x19
    "PATH_CHALLENGE",       // 0x1a
    "PATH_RESPONSE",        // 0x1b
    "CONNECTION_CLOSE",     // 0x1c
    "CONNECTION_CLOSE",     // 0x1d
    "HANDSHAKE_DONE",       // 0x1e
};

/// qlog 0.3 QuicFrameTypeName values, indexed by frame type.
const char* const QLOG_NAMES[] = {
    "padding",              // 0x00
    "ping",                 // 0x01
    "ack",                  // 0x02
    "ack",                  // 0x03
    "reset_stream",         // 0x04
    "stop_sending",         // 0x05
    "crypto",               // 0x06
    "new_token",            // 0x07
    "stream",               // 0x08
    "stream",               // 0x09
    "stream",               // 0x0a
    "stream",               // 0x0b
    "stream",               // 0x0c
    "stream",               // 0x0d
    "stream",               // 0x0e
    "stream",               // 0x0f
    "max_data",             // 0x10
    "max_stream_data",      // 0x11
    "max_streams",          // 0x12
    "max_streams",          // 0x13
    "data_blocked",         // 0x14
    "stream_data_blocked",  // 0x15
    "streams_blocked",      // 0x16
    "streams_blocked",      // 0x17
    "new_connection_id",    // 0x18
    "retire_connection_id", // 0x19
    "path_challenge",       // 0x1a
    "path_response",        // 0x1b
    "connection_close",     // 0x1c
    "connection_close",     // 0x1d
    "handshake_done",       // 0x1e
};

static_assert(sizeof(ALLOWED_PACKETS) == ns3::QUIC_FRAME_TYPE_MAX_KNOWN + 1, "table size");
static_assert(sizeof(RFC_NAMES) / sizeof(RFC_NAMES[0]) == ns3::QUIC_FRAME_TYPE_MAX_KNOWN + 1,
              "table size");
static_assert(sizeof(QLOG_NAMES) / sizeof(QLOG_NAMES[0]) == ns3::QUIC_FRAME_TYPE_MAX_KNOWN + 1,
              "table size");

/**
 * \brief Packet-type bit for the ALLOWED_PACKETS table.
 * \param type the packet type
 * \return the bit; 0 for packets that carry no frames (Retry, Version Negotiation)
 */
uint8_t
PacketBit(ns3::QuicPacketType type)
{
    switch (type)
    {
    case ns3::QuicPacketType::INITIAL:
        return PKT_I;
    case ns3::QuicPacketType::HANDSHAKE:
        return PKT_H;
    case ns3::QuicPacketType::ZERO_RTT:
        return PKT_0;
    case ns3::QuicPacketType::ONE_RTT:
        return PKT_1;
    default:
        return 0;
    }
}

/**
 * \brief Frame-layout sink that only counts bytes (and so validates varint ranges).
 */
class SizeSink
{
  public:
    /// \param v value \return false if v > 2^62-1
    bool Varint(uint64_t v)
    {
        size_t n = ns3::QuicVarintSize(v);
        m_size += n;
        return n != 0;
    }

    /// \param v the byte
    void U8(uint8_t v)
    {
        (void)v;
        ++m_size;
    }

    /// \param p bytes \param n count
    void Bytes(const uint8_t* p, size_t n)
    {
        (void)p;
        m_size += n;
    }

    /// \param n count of zero bytes
    void Zeros(size_t n)
    {
        m_size += n;
    }

    size_t m_size{0}; //!< bytes counted
};

/**
 * \brief Frame-layout sink that appends to a QuicBufferWriter.
 */
class WriteSink
{
  public:
    /// \param w the writer
    explicit WriteSink(ns3::QuicBufferWriter& w)
        : m_w(w)
    {
    }

    /// \param v value \return false if v > 2^62-1
    bool Varint(uint64_t v)
    {
        return m_w.WriteVarint(v);
    }

    /// \param v the byte
    void U8(uint8_t v)
    {
        m_w.WriteU8(v);
    }

    /// \param p bytes \param n count
    void Bytes(const uint8_t* p, size_t n)
    {
        m_w.WriteBytes(p, n);
    }

    /// \param n count of zero bytes
    void Zeros(size_t n)
    {
        m_w.WriteZeros(n);
    }

  private:
    ns3::QuicBufferWriter& m_w; //!< destination
};

/**
 * \brief The frame layout of RFC 9000 §19, shared by the size computation and the encoder.
 * \tparam Sink SizeSink or WriteSink
 * \param s the sink
 * \param f the frame
 * \return false if the frame cannot be encoded (checked before anything is written to a
 *         WriteSink only because QuicEncodeFrame() runs a SizeSink first)
 */
template <class Sink>
bool
Layout(Sink& s, const ns3::QuicFrame& f)
{
    using ns3::QUIC_VARINT_MAX;
    using T = ns3::QuicFrameType;
    const uint64_t type = static_cast<uint64_t>(f.m_type);
    if (!ns3::QuicFrameTypeIsKnown(type))
    {
        return false;
    }
    if (f.m_dataLength > 0 && f.m_data == nullptr)
    {
        switch (f.m_type)
        {
        case T::CRYPTO:
        case T::NEW_TOKEN:
        case T::CONNECTION_CLOSE:
        case T::CONNECTION_CLOSE_APP:
            return false;
        default:
            if (ns3::QuicFrameTypeIsStream(f.m_type))
            {
                return false;
            }
        }
    }
    if (ns3::QuicFrameTypeIsStream(f.m_type))
    {
        if (!f.HasOffsetBit() && f.m_offset != 0)
        {
            return false;
        }
        if (f.m_offset > QUIC_VARINT_MAX || f.m_dataLength > QUIC_VARINT_MAX - f.m_offset)
        {
            return false;
        }
        bool ok = s.Varint(type) && s.Varint(f.m_streamId);
        if (ok && f.HasOffsetBit())
        {
            ok = s.Varint(f.m_offset);
        }
        if (ok && f.HasLengthBit())
        {
            ok = s.Varint(f.m_dataLength);
        }
        if (ok)
        {
            s.Bytes(f.m_data, f.m_dataLength);
        }
        return ok;
    }
    switch (f.m_type)
    {
    case T::PADDING:
        if (f.m_paddingLength == 0)
        {
            return false;
        }
        s.Zeros(f.m_paddingLength);
        return true;
    case T::PING:
    case T::HANDSHAKE_DONE:
        return s.Varint(type);
    case T::ACK:
    case T::ACK_ECN: {
        if (f.m_ackRanges.empty())
        {
            return false;
        }
        const ns3::QuicAckRange& first = f.m_ackRanges.front();
        if (first.m_smallest > first.m_largest)
        {
            return false;
        }
        if (!(s.Varint(type) && s.Varint(first.m_largest) && s.Varint(f.m_ackDelay) &&
              s.Varint(f.m_ackRanges.size() - 1) && s.Varint(first.m_largest - first.m_smallest)))
        {
            return false;
        }
        uint64_t previousSmallest = first.m_smallest;
        for (size_t i = 1; i < f.m_ackRanges.size(); ++i)
        {
            const ns3::QuicAckRange& r = f.m_ackRanges[i];
            // largest = previous_smallest - gap - 2 with gap >= 0 (§19.3.1).
            if (r.m_smallest > r.m_largest || previousSmallest < 2 ||
                r.m_largest > previousSmallest - 2)
            {
                return false;
            }
            if (!(s.Varint(previousSmallest - r.m_largest - 2) &&
                  s.Varint(r.m_largest - r.m_smallest)))
            {
                return false;
            }
            previousSmallest = r.m_smallest;
        }
        if (f.m_type == T::ACK_ECN)
        {
            return s.Varint(f.m_ect0Count) && s.Varint(f.m_ect1Count) && s.Varint(f.m_ecnCeCount);
        }
        return true;
    }
    case T::RESET_STREAM:
        return s.Varint(type) && s.Varint(f.m_streamId) && s.Varint(f.m_errorCode) &&
               s.Varint(f.m_finalSize);
    case T::STOP_SENDING:
        return s.Varint(type) && s.Varint(f.m_streamId) && s.Varint(f.m_errorCode);
    case T::CRYPTO:
        if (f.m_offset > QUIC_VARINT_MAX || f.m_dataLength > QUIC_VARINT_MAX - f.m_offset)
        {
            return false;
        }
        if (!(s.Varint(type) && s.Varint(f.m_offset) && s.Varint(f.m_dataLength)))
        {
            return false;
        }
        s.Bytes(f.m_data, f.m_dataLength);
        return true;
    case T::NEW_TOKEN:
        if (f.m_dataLength == 0 || !(s.Varint(type) && s.Varint(f.m_dataLength)))
        {
            return false;
        }
        s.Bytes(f.m_data, f.m_dataLength);
        return true;
    case T::MAX_DATA:
    case T::DATA_BLOCKED:
        return s.Varint(type) && s.Varint(f.m_maximum);
    case T::MAX_STREAM_DATA:
    case T::STREAM_DATA_BLOCKED:
        return s.Varint(type) && s.Varint(f.m_streamId) && s.Varint(f.m_maximum);
    case T::MAX_STREAMS_BIDI:
    case T::MAX_STREAMS_UNI:
    case T::STREAMS_BLOCKED_BIDI:
    case T::STREAMS_BLOCKED_UNI:
        return f.m_maximum <= ns3::QUIC_MAX_STREAMS_LIMIT && s.Varint(type) &&
               s.Varint(f.m_maximum);
    case T::NEW_CONNECTION_ID: {
        const size_t len = f.m_connectionId.Length();
        if (len < 1 || len > ns3::QuicConnectionId::MAX_LENGTH ||
            f.m_retirePriorTo > f.m_sequenceNumber)
        {
            return false;
        }
        if (!(s.Varint(type) && s.Varint(f.m_sequenceNumber) && s.Varint(f.m_retirePriorTo)))
        {
            return false;
        }
        s.U8(static_cast<uint8_t>(len));
        s.Bytes(f.m_connectionId.Data(), len);
        s.Bytes(f.m_statelessResetToken, ns3::QuicFrame::RESET_TOKEN_LENGTH);
        return true;
    }
    case T::RETIRE_CONNECTION_ID:
        return s.Varint(type) && s.Varint(f.m_sequenceNumber);
    case T::PATH_CHALLENGE:
    case T::PATH_RESPONSE:
        if (!s.Varint(type))
        {
            return false;
        }
        s.Bytes(f.m_pathData, ns3::QuicFrame::PATH_DATA_LENGTH);
        return true;
    case T::CONNECTION_CLOSE:
    case T::CONNECTION_CLOSE_APP:
        if (!(s.Varint(type) && s.Varint(f.m_errorCode)))
        {
            return false;
        }
        if (f.m_type == T::CONNECTION_CLOSE && !s.Varint(f.m_frameType))
        {
            return false;
        }
        if (!s.Varint(f.m_dataLength))
        {
            return false;
        }
        s.Bytes(f.m_data, f.m_dataLength);
        return true;
    default:
        return false;
    }
}

/**
 * \brief Read a varint-prefixed view (CRYPTO data, NEW_TOKEN, reason phrase).
 * \param r the reader
 * \param length the length already read
 * \param data receives the view
 * \return false if the buffer holds fewer than length bytes
 */
bool
ReadView(ns3::QuicBufferReader& r, uint64_t length, const uint8_t*& data)
{
    if (length > r.Remaining())
    {
        return false;
    }
    return r.ReadSpan(data, static_cast<size_t>(length));
}

/**
 * \brief Decode the fields that follow a known, minimally encoded frame type.
 * \param r the reader, positioned after the type
 * \param f the frame; m_type already set
 * \return NO_ERROR or FRAME_ENCODING_ERROR
 */
QuicTransportError
DecodeBody(ns3::QuicBufferReader& r, ns3::QuicFrame& f)
{
    using ns3::QUIC_VARINT_MAX;
    using T = ns3::QuicFrameType;

    if (ns3::QuicFrameTypeIsStream(f.m_type))
    {
        uint64_t offset = 0;
        uint64_t length;
        if (!r.ReadVarint(f.m_streamId) || (f.HasOffsetBit() && !r.ReadVarint(offset)))
        {
            return FEE;
        }
        if (f.HasLengthBit())
        {
            if (!r.ReadVarint(length) || length > r.Remaining())
            {
                return FEE;
            }
        }
        else
        {
            length = r.Remaining(); // §19.8: extends to the end of the packet
        }
        if (length > QUIC_VARINT_MAX - offset)
        {
            return FEE; // §19.8: offset + length above 2^62-1
        }
        f.m_offset = offset;
        f.m_dataLength = static_cast<size_t>(length);
        r.ReadSpan(f.m_data, f.m_dataLength);
        return OK;
    }

    switch (f.m_type)
    {
    case T::PADDING: {
        // Coalesce the whole run of 0x00 bytes into one frame.
        const uint8_t* p = r.Current();
        const size_t n = r.Remaining();
        size_t k = 0;
        while (k < n && p[k] == 0)
        {
            ++k;
        }
        r.Skip(k);
        f.m_paddingLength = k + 1;
        return OK;
    }
    case T::PING:
    case T::HANDSHAKE_DONE:
        return OK;
    case T::ACK:
    case T::ACK_ECN: {
        uint64_t largest;
        uint64_t delay;
        uint64_t count;
        uint64_t firstRange;
        if (!r.ReadVarint(largest) || !r.ReadVarint(delay) || !r.ReadVarint(count) ||
            !r.ReadVarint(firstRange))
        {
            return FEE;
        }
        if (firstRange > largest)
        {
            return FEE; // smallest of the first range below 0
        }
        // Each ACK Range takes at least two bytes: refuse a count the packet cannot carry
        // (§20.1) before looping over it.
        if (count > r.Remaining() / 2)
        {
            return FEE;
        }
        f.m_ackDelay = delay;
        f.m_ackRanges.clear();
        uint64_t smallest = largest - firstRange;
        f.m_ackRanges.push_back({smallest, largest});
        for (uint64_t i = 0; i < count; ++i)
        {
            uint64_t gap;
            uint64_t rangeLength;
            if (!r.ReadVarint(gap) || !r.ReadVarint(rangeLength))
            {
                return FEE;
            }
            // largest = previous_smallest - gap - 2; smallest = largest - ack_range (§19.3.1)
            if (smallest < 2 || gap > smallest - 2)
            {
                return FEE;
            }
            const uint64_t rangeLargest = smallest - gap - 2;
            if (rangeLength > rangeLargest)
            {
                return FEE;
            }
            smallest = rangeLargest - rangeLength;
            f.m_ackRanges.push_back({smallest, rangeLargest});
        }
        if (f.m_type == T::ACK_ECN)
        {
            if (!r.ReadVarint(f.m_ect0Count) || !r.ReadVarint(f.m_ect1Count) ||
                !r.ReadVarint(f.m_ecnCeCount))
            {
                return FEE;
            }
        }
        return OK;
    }
    case T::RESET_STREAM:
        return (r.ReadVarint(f.m_streamId) && r.ReadVarint(f.m_errorCode) &&
                r.ReadVarint(f.m_finalSize))
                   ? OK
                   : FEE;
    case T::STOP_SENDING:
        return (r.ReadVarint(f.m_streamId) && r.ReadVarint(f.m_errorCode)) ? OK : FEE;
    case T::CRYPTO: {
        uint64_t length;
        if (!r.ReadVarint(f.m_offset) || !r.ReadVarint(length) || !ReadView(r, length, f.m_data))
        {
            return FEE;
        }
        if (length > QUIC_VARINT_MAX - f.m_offset)
        {
            return FEE; // §19.6: offset + length above 2^62-1
        }
        f.m_dataLength = static_cast<size_t>(length);
        return OK;
    }
    case T::NEW_TOKEN: {
        uint64_t length;
        if (!r.ReadVarint(length) || length == 0 || !ReadView(r, length, f.m_data))
        {
            return FEE; // §19.7: the token MUST NOT be empty
        }
        f.m_dataLength = static_cast<size_t>(length);
        return OK;
    }
    case T::MAX_DATA:
    case T::DATA_BLOCKED:
        return r.ReadVarint(f.m_maximum) ? OK : FEE;
    case T::MAX_STREAM_DATA:
    case T::STREAM_DATA_BLOCKED:
        return (r.ReadVarint(f.m_streamId) && r.ReadVarint(f.m_maximum)) ? OK : FEE;
    case T::MAX_STREAMS_BIDI:
    case T::MAX_STREAMS_UNI:
    case T::STREAMS_BLOCKED_BIDI:
    case T::STREAMS_BLOCKED_UNI:
        // §19.11, §19.14: above 2^60 is FRAME_ENCODING_ERROR.
        return (r.ReadVarint(f.m_maximum) && f.m_maximum <= ns3::QUIC_MAX_STREAMS_LIMIT) ? OK : FEE;
    case T::NEW_CONNECTION_ID: {
        uint8_t length;
        const uint8_t* cid;
        if (!r.ReadVarint(f.m_sequenceNumber) || !r.ReadVarint(f.m_retirePriorTo) ||
            !r.ReadU8(length))
        {
            return FEE;
        }
        if (length < 1 || length > ns3::QuicConnectionId::MAX_LENGTH)
        {
            return FEE; // §19.15, FR-02
        }
        if (!r.ReadSpan(cid, length) ||
            !r.ReadBytes(f.m_statelessResetToken, ns3::QuicFrame::RESET_TOKEN_LENGTH))
        {
            return FEE;
        }
        if (f.m_retirePriorTo > f.m_sequenceNumber)
        {
            return FEE; // §19.15, FR-05
        }
        f.m_connectionId.Set(cid, length);
        return OK;
    }
    case T::RETIRE_CONNECTION_ID:
        return r.ReadVarint(f.m_sequenceNumber) ? OK : FEE;
    case T::PATH_CHALLENGE:
    case T::PATH_RESPONSE:
        return r.ReadBytes(f.m_pathData, ns3::QuicFrame::PATH_DATA_LENGTH) ? OK : FEE;
    case T::CONNECTION_CLOSE:
    case T::CONNECTION_CLOSE_APP: {
        uint64_t length;
        if (!r.ReadVarint(f.m_errorCode))
        {
            return FEE;
        }
        if (f.m_type == T::CONNECTION_CLOSE)
        {
            if (!r.ReadVarint(f.m_frameType))
            {
                return FEE;
            }
        }
        else
        {
            f.m_frameType = 0;
        }
        if (!r.ReadVarint(length) || !ReadView(r, length, f.m_data))
        {
            return FEE;
        }
        f.m_dataLength = static_cast<size_t>(length);
        return OK;
    }
    default:
        return FEE;
    }
}

/**
 * \brief Largest data length that fits after a header, with or without a Length varint.
 * \param avail bytes left after the fixed header fields
 * \param withLength whether a Length varint precedes the data
 * \return the data length (0 if no data byte fits)
 */
size_t
FitData(size_t avail, bool withLength)
{
    if (!withLength)
    {
        return avail;
    }

    // For each Length size n, the largest data length encodable in n bytes that fits is
    // min(avail - n, largest n-byte varint); the answer is the best over the four sizes.
    static const struct
    {
        size_t bytes;
        uint64_t max;
    } sizes[] = {{1, 63}, {2, 16383}, {4, 1073741823}, {8, ns3::QUIC_VARINT_MAX}};

    size_t best = 0;
    for (const auto& n : sizes)
    {
        if (avail > n.bytes)
        {
            const uint64_t fit = std::min<uint64_t>(avail - n.bytes, n.max);
            best = std::max(best, static_cast<size_t>(fit));
        }
    }
    return best;
}

/**
 * \brief Append bytes as lower-case hex.
 * \param os the stream
 * \param p bytes
 * \param n count
 */
void
PrintHex(std::ostream& os, const uint8_t* p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; ++i)
    {
        os << digits[p[i] >> 4] << digits[p[i] & 0xf];
    }
}

/**
 * \brief Compare two payload views by content.
 * \param a a frame
 * \param b another frame
 * \return true if the views hold the same bytes
 */
bool
SameData(const ns3::QuicFrame& a, const ns3::QuicFrame& b)
{
    return a.m_dataLength == b.m_dataLength &&
           (a.m_dataLength == 0 || std::memcmp(a.m_data, b.m_data, a.m_dataLength) == 0);
}

} // namespace

namespace ns3
{

bool
QuicFrame::Acknowledges(uint64_t packetNumber) const
{
    // m_ackRanges is descending: find the first interval whose smallest is <= packetNumber.
    auto it =
        std::lower_bound(m_ackRanges.begin(),
                         m_ackRanges.end(),
                         packetNumber,
                         [](const QuicAckRange& r, uint64_t pn) { return r.m_smallest > pn; });
    return it != m_ackRanges.end() && packetNumber <= it->m_largest;
}

std::string
QuicFrame::DataAsString() const
{
    if (m_dataLength == 0 || m_data == nullptr)
    {
        return std::string();
    }
    return std::string(reinterpret_cast<const char*>(m_data), m_dataLength);
}

QuicFrame
QuicFrame::Padding(size_t length)
{
    QuicFrame f;
    f.m_type = QuicFrameType::PADDING;
    f.m_paddingLength = length;
    return f;
}

QuicFrame
QuicFrame::Ping()
{
    QuicFrame f;
    f.m_type = QuicFrameType::PING;
    return f;
}

QuicFrame
QuicFrame::Ack(const std::vector<QuicAckRange>& ranges, uint64_t ackDelay)
{
    QuicFrame f;
    f.m_type = QuicFrameType::ACK;
    f.m_ackRanges = ranges;
    QuicAckRangesNormalize(f.m_ackRanges);
    f.m_ackDelay = ackDelay;
    return f;
}

QuicFrame
QuicFrame::AckEcn(const std::vector<QuicAckRange>& ranges,
                  uint64_t ackDelay,
                  uint64_t ect0,
                  uint64_t ect1,
                  uint64_t ce)
{
    QuicFrame f = Ack(ranges, ackDelay);
    f.m_type = QuicFrameType::ACK_ECN;
    f.m_ect0Count = ect0;
    f.m_ect1Count = ect1;
    f.m_ecnCeCount = ce;
    return f;
}

QuicFrame
QuicFrame::ResetStream(uint64_t streamId, uint64_t errorCode, uint64_t finalSize)
{
    QuicFrame f;
    f.m_type = QuicFrameType::RESET_STREAM;
    f.m_streamId = streamId;
    f.m_errorCode = errorCode;
    f.m_finalSize = finalSize;
    return f;
}

QuicFrame
QuicFrame::StopSending(uint64_t streamId, uint64_t errorCode)
{
    QuicFrame f;
    f.m_type = QuicFrameType::STOP_SENDING;
    f.m_streamId = streamId;
    f.m_errorCode = errorCode;
    return f;
}

QuicFrame
QuicFrame::Crypto(uint64_t offset, const uint8_t* data, size_t length)
{
    QuicFrame f;
    f.m_type = QuicFrameType::CRYPTO;
    f.m_offset = offset;
    f.m_data = data;
    f.m_dataLength = length;
    return f;
}

QuicFrame
QuicFrame::NewToken(const uint8_t* token, size_t length)
{
    QuicFrame f;
    f.m_type = QuicFrameType::NEW_TOKEN;
    f.m_data = token;
    f.m_dataLength = length;
    return f;
}

QuicFrame
QuicFrame::Stream(uint64_t streamId,
                  uint64_t offset,
                  const uint8_t* data,
                  size_t length,
                  bool fin,
                  bool withLength,
                  bool forceOffset)
{
    QuicFrame f;
    f.m_type = QuicStreamFrameType(offset != 0 || forceOffset, withLength, fin);
    f.m_streamId = streamId;
    f.m_offset = offset;
    f.m_data = data;
    f.m_dataLength = length;
    return f;
}

QuicFrame
QuicFrame::MaxData(uint64_t maximum)
{
    QuicFrame f;
    f.m_type = QuicFrameType::MAX_DATA;
    f.m_maximum = maximum;
    return f;
}

QuicFrame
QuicFrame::MaxStreamData(uint64_t streamId, uint64_t maximum)
{
    QuicFrame f;
    f.m_type = QuicFrameType::MAX_STREAM_DATA;
    f.m_streamId = streamId;
    f.m_maximum = maximum;
    return f;
}

QuicFrame
QuicFrame::MaxStreams(bool bidirectional, uint64_t maximum)
{
    QuicFrame f;
    f.m_type = bidirectional ? QuicFrameType::MAX_STREAMS_BIDI : QuicFrameType::MAX_STREAMS_UNI;
    f.m_maximum = maximum;
    return f;
}

QuicFrame
QuicFrame::DataBlocked(uint64_t maximum)
{
    QuicFrame f;
    f.m_type = QuicFrameType::DATA_BLOCKED;
    f.m_maximum = maximum;
    return f;
}

QuicFrame
QuicFrame::StreamDataBlocked(uint64_t streamId, uint64_t maximum)
{
    QuicFrame f;
    f.m_type = QuicFrameType::STREAM_DATA_BLOCKED;
    f.m_streamId = streamId;
    f.m_maximum = maximum;
    return f;
}

QuicFrame
QuicFrame::StreamsBlocked(bool bidirectional, uint64_t maximum)
{
    QuicFrame f;
    f.m_type =
        bidirectional ? QuicFrameType::STREAMS_BLOCKED_BIDI : QuicFrameType::STREAMS_BLOCKED_UNI;
    f.m_maximum = maximum;
    return f;
}

QuicFrame
QuicFrame::NewConnectionId(uint64_t sequenceNumber,
                           uint64_t retirePriorTo,
                           const QuicConnectionId& cid,
                           const uint8_t resetToken[RESET_TOKEN_LENGTH])
{
    QuicFrame f;
    f.m_type = QuicFrameType::NEW_CONNECTION_ID;
    f.m_sequenceNumber = sequenceNumber;
    f.m_retirePriorTo = retirePriorTo;
    f.m_connectionId = cid;
    std::memcpy(f.m_statelessResetToken, resetToken, RESET_TOKEN_LENGTH);
    return f;
}

QuicFrame
QuicFrame::RetireConnectionId(uint64_t sequenceNumber)
{
    QuicFrame f;
    f.m_type = QuicFrameType::RETIRE_CONNECTION_ID;
    f.m_sequenceNumber = sequenceNumber;
    return f;
}

QuicFrame
QuicFrame::PathChallenge(const uint8_t data[PATH_DATA_LENGTH])
{
    QuicFrame f;
    f.m_type = QuicFrameType::PATH_CHALLENGE;
    std::memcpy(f.m_pathData, data, PATH_DATA_LENGTH);
    return f;
}

QuicFrame
QuicFrame::PathResponse(const uint8_t data[PATH_DATA_LENGTH])
{
    QuicFrame f;
    f.m_type = QuicFrameType::PATH_RESPONSE;
    std::memcpy(f.m_pathData, data, PATH_DATA_LENGTH);
    return f;
}

QuicFrame
QuicFrame::ConnectionClose(QuicTransportError errorCode,
                           uint64_t frameType,
                           const uint8_t* reason,
                           size_t reasonLength)
{
    QuicFrame f;
    f.m_type = QuicFrameType::CONNECTION_CLOSE;
    f.m_errorCode = static_cast<uint64_t>(errorCode);
    f.m_frameType = frameType;
    f.m_data = reason;
    f.m_dataLength = reasonLength;
    return f;
}

QuicFrame
QuicFrame::ApplicationClose(uint64_t errorCode, const uint8_t* reason, size_t reasonLength)
{
    QuicFrame f;
    f.m_type = QuicFrameType::CONNECTION_CLOSE_APP;
    f.m_errorCode = errorCode;
    f.m_data = reason;
    f.m_dataLength = reasonLength;
    return f;
}

QuicFrame
QuicFrame::HandshakeDone()
{
    QuicFrame f;
    f.m_type = QuicFrameType::HANDSHAKE_DONE;
    return f;
}

bool
operator==(const QuicFrame& a, const QuicFrame& b)
{
    using T = QuicFrameType;
    if (a.m_type != b.m_type)
    {
        return false;
    }
    if (QuicFrameTypeIsStream(a.m_type))
    {
        return a.m_streamId == b.m_streamId && a.m_offset == b.m_offset && SameData(a, b);
    }
    switch (a.m_type)
    {
    case T::PADDING:
        return a.m_paddingLength == b.m_paddingLength;
    case T::PING:
    case T::HANDSHAKE_DONE:
        return true;
    case T::ACK:
        return a.m_ackDelay == b.m_ackDelay && a.m_ackRanges == b.m_ackRanges;
    case T::ACK_ECN:
        return a.m_ackDelay == b.m_ackDelay && a.m_ackRanges == b.m_ackRanges &&
               a.m_ect0Count == b.m_ect0Count && a.m_ect1Count == b.m_ect1Count &&
               a.m_ecnCeCount == b.m_ecnCeCount;
    case T::RESET_STREAM:
        return a.m_streamId == b.m_streamId && a.m_errorCode == b.m_errorCode &&
               a.m_finalSize == b.m_finalSize;
    case T::STOP_SENDING:
        return a.m_streamId == b.m_streamId && a.m_errorCode == b.m_errorCode;
    case T::CRYPTO:
        return a.m_offset == b.m_offset && SameData(a, b);
    case T::NEW_TOKEN:
        return SameData(a, b);
    case T::MAX_DATA:
    case T::DATA_BLOCKED:
    case T::MAX_STREAMS_BIDI:
    case T::MAX_STREAMS_UNI:
    case T::STREAMS_BLOCKED_BIDI:
    case T::STREAMS_BLOCKED_UNI:
        return a.m_maximum == b.m_maximum;
    case T::MAX_STREAM_DATA:
    case T::STREAM_DATA_BLOCKED:
        return a.m_streamId == b.m_streamId && a.m_maximum == b.m_maximum;
    case T::NEW_CONNECTION_ID:
        return a.m_sequenceNumber == b.m_sequenceNumber && a.m_retirePriorTo == b.m_retirePriorTo &&
               a.m_connectionId == b.m_connectionId &&
               std::memcmp(a.m_statelessResetToken,
                           b.m_statelessResetToken,
                           QuicFrame::RESET_TOKEN_LENGTH) == 0;
    case T::RETIRE_CONNECTION_ID:
        return a.m_sequenceNumber == b.m_sequenceNumber;
    case T::PATH_CHALLENGE:
    case T::PATH_RESPONSE:
        return std::memcmp(a.m_pathData, b.m_pathData, QuicFrame::PATH_DATA_LENGTH) == 0;
    case T::CONNECTION_CLOSE:
        return a.m_errorCode == b.m_errorCode && a.m_frameType == b.m_frameType && SameData(a, b);
    case T::CONNECTION_CLOSE_APP:
        return a.m_errorCode == b.m_errorCode && SameData(a, b);
    default:
        return true; // unknown types carry no fields
    }
}

bool
operator!=(const QuicFrame& a, const QuicFrame& b)
{
    return !(a == b);
}

std::ostream&
operator<<(std::ostream& os, QuicFrameType type)
{
    const uint64_t t = static_cast<uint64_t>(type);
    char buf[24];
    std::snprintf(buf, sizeof(buf), "(0x%02llx)", static_cast<unsigned long long>(t));
    if (QuicFrameTypeIsKnown(t))
    {
        os << RFC_NAMES[t] << buf;
    }
    else
    {
        os << QuicFrameTypeName(t);
    }
    return os;
}

std::ostream&
operator<<(std::ostream& os, const QuicFrame& f)
{
    using T = QuicFrameType;
    os << f.m_type;
    if (QuicFrameTypeIsStream(f.m_type))
    {
        os << " id=" << f.m_streamId << " off=" << f.m_offset << " len=" << f.m_dataLength
           << (f.HasFin() ? " fin" : "");
        return os;
    }
    switch (f.m_type)
    {
    case T::PADDING:
        os << " length=" << f.m_paddingLength;
        break;
    case T::ACK:
    case T::ACK_ECN:
        os << " delay=" << f.m_ackDelay << " ranges=";
        for (const QuicAckRange& r : f.m_ackRanges)
        {
            os << "[" << r.m_smallest << "," << r.m_largest << "]";
        }
        if (f.HasEcnCounts())
        {
            os << " ect0=" << f.m_ect0Count << " ect1=" << f.m_ect1Count
               << " ce=" << f.m_ecnCeCount;
        }
        break;
    case T::RESET_STREAM:
        os << " id=" << f.m_streamId << " error=" << f.m_errorCode << " final=" << f.m_finalSize;
        break;
    case T::STOP_SENDING:
        os << " id=" << f.m_streamId << " error=" << f.m_errorCode;
        break;
    case T::CRYPTO:
        os << " off=" << f.m_offset << " len=" << f.m_dataLength;
        break;
    case T::NEW_TOKEN:
        os << " len=" << f.m_dataLength;
        break;
    case T::MAX_STREAM_DATA:
    case T::STREAM_DATA_BLOCKED:
        os << " id=" << f.m_streamId << " max=" << f.m_maximum;
        break;
    case T::MAX_DATA:
    case T::DATA_BLOCKED:
    case T::MAX_STREAMS_BIDI:
    case T::MAX_STREAMS_UNI:
    case T::STREAMS_BLOCKED_BIDI:
    case T::STREAMS_BLOCKED_UNI:
        os << " max=" << f.m_maximum;
        break;
    case T::NEW_CONNECTION_ID:
        os << " seq=" << f.m_sequenceNumber << " rpt=" << f.m_retirePriorTo
           << " cid=" << f.m_connectionId << " token=";
        PrintHex(os, f.m_statelessResetToken, QuicFrame::RESET_TOKEN_LENGTH);
        break;
    case T::RETIRE_CONNECTION_ID:
        os << " seq=" << f.m_sequenceNumber;
        break;
    case T::PATH_CHALLENGE:
    case T::PATH_RESPONSE:
        os << " data=";
        PrintHex(os, f.m_pathData, QuicFrame::PATH_DATA_LENGTH);
        break;
    case T::CONNECTION_CLOSE:
        os << " error=" << QuicTransportErrorName(f.m_errorCode)
           << " frame=" << QuicFrameTypeName(f.m_frameType) << " reason_len=" << f.m_dataLength;
        break;
    case T::CONNECTION_CLOSE_APP:
        os << " error=" << f.m_errorCode << " reason_len=" << f.m_dataLength;
        break;
    default:
        break;
    }
    return os;
}

void
QuicAckRangesNormalize(std::vector<QuicAckRange>& ranges)
{
    for (QuicAckRange& r : ranges)
    {
        if (r.m_smallest > r.m_largest)
        {
            std::swap(r.m_smallest, r.m_largest);
        }
    }
    std::sort(ranges.begin(), ranges.end(), [](const QuicAckRange& a, const QuicAckRange& b) {
        return a.m_largest > b.m_largest;
    });
    size_t out = 0;
    for (size_t i = 0; i < ranges.size(); ++i)
    {
        if (out > 0 && ranges[i].m_largest + 1 >= ranges[out - 1].m_smallest)
        {
            // Overlapping or adjacent to the previous (larger) interval: merge.
            ranges[out - 1].m_smallest = std::min(ranges[out - 1].m_smallest, ranges[i].m_smallest);
        }
        else
        {
            ranges[out++] = ranges[i];
        }
    }
    ranges.resize(out);
}

QuicTransportError
QuicDecodeFrame(QuicBufferReader& reader, QuicFrame& frame)
{
    QuicBufferReader r = reader; // commit the cursor only on success
    uint64_t type;
    size_t typeLength;
    if (!r.ReadVarint(type, typeLength))
    {
        frame.m_type = QuicFrameType::PADDING;
        return FEE;
    }
    frame.m_type = static_cast<QuicFrameType>(type);
    if (!QuicFrameTypeIsKnown(type))
    {
        return FEE; // §12.4: unknown frame type (FR-13)
    }
    if (typeLength != 1)
    {
        return PV; // §12.4 MAY: frame type not in its shortest encoding (FR-13)
    }
    QuicTransportError e = DecodeBody(r, frame);
    if (e == OK)
    {
        reader = r;
    }
    return e;
}

size_t
QuicFrameEncodedSize(const QuicFrame& frame)
{
    SizeSink s;
    return Layout(s, frame) ? s.m_size : 0;
}

bool
QuicEncodeFrame(QuicBufferWriter& writer, const QuicFrame& frame)
{
    if (QuicFrameEncodedSize(frame) == 0)
    {
        return false;
    }
    WriteSink s(writer);
    return Layout(s, frame);
}

size_t
QuicStreamFrameMaxDataLength(uint64_t streamId, uint64_t offset, size_t budget, bool withLength)
{
    const size_t idSize = QuicVarintSize(streamId);
    const size_t offsetSize = offset == 0 ? 0 : QuicVarintSize(offset);
    if (idSize == 0 || (offset != 0 && offsetSize == 0))
    {
        return 0;
    }
    const size_t header = 1 + idSize + offsetSize;
    if (budget <= header)
    {
        return 0;
    }
    const uint64_t cap = QUIC_VARINT_MAX - offset;
    const size_t fit = FitData(budget - header, withLength);
    return fit > cap ? static_cast<size_t>(cap) : fit;
}

size_t
QuicCryptoFrameMaxDataLength(uint64_t offset, size_t budget)
{
    const size_t offsetSize = QuicVarintSize(offset);
    if (offsetSize == 0 || budget <= 1 + offsetSize)
    {
        return 0;
    }
    const uint64_t cap = QUIC_VARINT_MAX - offset;
    const size_t fit = FitData(budget - 1 - offsetSize, true);
    return fit > cap ? static_cast<size_t>(cap) : fit;
}

bool
QuicFrameAllowedIn(QuicFrameType frameType, QuicPacketType packetType, bool strictZeroRtt)
{
    const uint64_t t = static_cast<uint64_t>(frameType);
    if (!QuicFrameTypeIsKnown(t))
    {
        return false;
    }
    if (strictZeroRtt && packetType == QuicPacketType::ZERO_RTT &&
        frameType == QuicFrameType::RETIRE_CONNECTION_ID)
    {
        return false; // §12.5 MAY
    }
    return (ALLOWED_PACKETS[t] & PacketBit(packetType)) != 0;
}

bool
QuicFrameIsProbing(QuicFrameType type)
{
    return (QUIC_FRAME_MASK_PROBING & QuicFrameTypeBit(type)) != 0;
}

bool
QuicFrameIsAckEliciting(QuicFrameType type)
{
    const uint32_t notEliciting = QUIC_FRAME_MASK_ACK | QUIC_FRAME_MASK_CONNECTION_CLOSE |
                                  QuicFrameTypeBit(QuicFrameType::PADDING);
    return (notEliciting & QuicFrameTypeBit(type)) == 0;
}

bool
QuicFrameCountsInFlight(QuicFrameType type)
{
    return type == QuicFrameType::PADDING || QuicFrameIsAckEliciting(type);
}

std::string
QuicFrameTypeName(uint64_t type)
{
    if (QuicFrameTypeIsKnown(type))
    {
        return RFC_NAMES[type];
    }
    char buf[40];
    std::snprintf(buf, sizeof(buf), "UNKNOWN(0x%llx)", static_cast<unsigned long long>(type));
    return buf;
}

std::string
QuicFrameTypeName(QuicFrameType type)
{
    return QuicFrameTypeName(static_cast<uint64_t>(type));
}

std::string
QuicFrameTypeQlogName(uint64_t type)
{
    return QuicFrameTypeIsKnown(type) ? QLOG_NAMES[type] : "unknown";
}

std::string
QuicFrameTypeQlogName(QuicFrameType type)
{
    return QuicFrameTypeQlogName(static_cast<uint64_t>(type));
}

QuicFrameParser::QuicFrameParser(const uint8_t* payload,
                                 size_t size,
                                 QuicPacketType packetType,
                                 bool strictZeroRtt)
    : m_reader(payload, size),
      m_packetType(packetType),
      m_strictZeroRtt(strictZeroRtt),
      m_finished(false)
{
}

bool
QuicFrameParser::Next(QuicFrame& frame)
{
    if (m_finished)
    {
        return false;
    }
    if (m_reader.AtEnd())
    {
        m_finished = true;
        if (m_summary.m_frameCount == 0)
        {
            // §12.4: a packet containing no frames is a PROTOCOL_VIOLATION.
            m_summary.m_error = PV;
            m_summary.m_errorFrameType = 0;
            m_summary.m_errorOffset = 0;
        }
        return false;
    }
    const size_t offset = m_reader.Position();
    QuicTransportError e = QuicDecodeFrame(m_reader, frame);
    if (e == OK && !QuicFrameAllowedIn(frame.m_type, m_packetType, m_strictZeroRtt))
    {
        e = PV; // §12.4: frame not permitted in this packet type (FR-12)
    }
    if (e != OK)
    {
        m_finished = true;
        m_summary.m_error = e;
        m_summary.m_errorFrameType = static_cast<uint64_t>(frame.m_type);
        m_summary.m_errorOffset = offset;
        m_summary.m_probingOnly = false;
        return false;
    }
    const bool probing = QuicFrameIsProbing(frame.m_type);
    m_summary.m_probingOnly = (m_summary.m_frameCount == 0 || m_summary.m_probingOnly) && probing;
    ++m_summary.m_frameCount;
    m_summary.m_frameTypes |= QuicFrameTypeBit(frame.m_type);
    m_summary.m_ackEliciting = m_summary.m_ackEliciting || QuicFrameIsAckEliciting(frame.m_type);
    m_summary.m_inFlight = m_summary.m_inFlight || QuicFrameCountsInFlight(frame.m_type);
    return true;
}

QuicFramePacketSummary
QuicScanPacketFrames(const uint8_t* payload,
                     size_t size,
                     QuicPacketType packetType,
                     QuicFrame& scratch,
                     bool strictZeroRtt)
{
    QuicFrameParser parser(payload, size, packetType, strictZeroRtt);
    while (parser.Next(scratch))
    {
    }
    return parser.Summary();
}

QuicFramePacketSummary
QuicScanPacketFrames(const uint8_t* payload,
                     size_t size,
                     QuicPacketType packetType,
                     bool strictZeroRtt)
{
    QuicFrame scratch;
    return QuicScanPacketFrames(payload, size, packetType, scratch, strictZeroRtt);
}

} // namespace ns3
