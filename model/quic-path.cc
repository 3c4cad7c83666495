/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-path.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"

#include <limits>
#include <sstream>

namespace ns3
{

QuicPath::QuicPath(uint32_t id, const Address& local, const Address& remote, Ptr<Socket> socket)
    : m_id(id),
      m_local(local),
      m_remote(remote),
      m_socket(socket),
      m_validated(false),
      m_bytesReceived(0),
      m_bytesSent(0)
{
}

uint32_t
QuicPath::GetId() const
{
    return m_id;
}

const Address&
QuicPath::GetLocalAddress() const
{
    return m_local;
}

const Address&
QuicPath::GetRemoteAddress() const
{
    return m_remote;
}

void
QuicPath::SetRemoteAddress(const Address& remote)
{
    m_remote = remote;
}

Ptr<Socket>
QuicPath::GetSocket() const
{
    return m_socket;
}

void
QuicPath::SetLocal(const Address& local, Ptr<Socket> socket)
{
    m_local = local;
    m_socket = socket;
}

bool
QuicPath::IsValidated() const
{
    return m_validated;
}

void
QuicPath::SetValidated(bool validated)
{
    m_validated = validated;
}

void
QuicPath::OnBytesReceived(uint64_t bytes)
{
    m_bytesReceived += bytes;
}

void
QuicPath::OnBytesSent(uint64_t bytes)
{
    m_bytesSent += bytes;
}

uint64_t
QuicPath::GetBytesReceived() const
{
    return m_bytesReceived;
}

uint64_t
QuicPath::GetBytesSent() const
{
    return m_bytesSent;
}

uint64_t
QuicPath::GetAmplificationCredit() const
{
    if (m_validated)
    {
        return std::numeric_limits<uint64_t>::max();
    }
    uint64_t limit = AMPLIFICATION_FACTOR * m_bytesReceived;
    return limit > m_bytesSent ? limit - m_bytesSent : 0;
}

QuicRttEstimator&
QuicPath::Rtt()
{
    return m_rtt;
}

const QuicRttEstimator&
QuicPath::Rtt() const
{
    return m_rtt;
}

QuicCongestionState&
QuicPath::Congestion()
{
    return m_congestion;
}

const QuicCongestionState&
QuicPath::Congestion() const
{
    return m_congestion;
}

std::string
QuicPath::AddressToString(const Address& address)
{
    std::ostringstream os;
    if (InetSocketAddress::IsMatchingType(address))
    {
        InetSocketAddress a = InetSocketAddress::ConvertFrom(address);
        os << a.GetIpv4() << ":" << a.GetPort();
    }
    else if (Inet6SocketAddress::IsMatchingType(address))
    {
        Inet6SocketAddress a = Inet6SocketAddress::ConvertFrom(address);
        os << "[" << a.GetIpv6() << "]:" << a.GetPort();
    }
    else
    {
        os << "(unknown address)";
    }
    return os.str();
}

std::string
QuicPath::ToString() const
{
    return AddressToString(m_local) + " -> " + AddressToString(m_remote);
}

} // namespace ns3
