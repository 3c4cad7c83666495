/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-nat-helper.h"

#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicNatHelper");

QuicNatHelper::QuicNatHelper()
{
    m_factory.SetTypeId(QuicNat::GetTypeId());
}

void
QuicNatHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<QuicNat>
QuicNatHelper::Install(Ptr<Node> router,
                       uint32_t insideInterface,
                       uint32_t outsideInterface,
                       Ipv4Address externalAddress) const
{
    NS_LOG_FUNCTION(this << router << insideInterface << outsideInterface << externalAddress);
    Ptr<QuicNat> nat = m_factory.Create<QuicNat>();
    nat->Attach(router, insideInterface, outsideInterface, externalAddress);
    return nat;
}

Ptr<QuicNat>
QuicNatHelper::Install(Ptr<Node> router,
                       uint32_t insideInterface,
                       uint32_t outsideInterface,
                       const Address& externalAddress) const
{
    std::string error =
        QuicNat::CheckAttach(router, insideInterface, outsideInterface, externalAddress);
    if (!error.empty())
    {
        NS_FATAL_ERROR(error);
    }
    return Install(router,
                   insideInterface,
                   outsideInterface,
                   Ipv4Address::ConvertFrom(externalAddress));
}

Ptr<QuicNat>
QuicNatHelper::Install(Ptr<Node> router, uint32_t insideInterface, uint32_t outsideInterface) const
{
    Ptr<Ipv4> ipv4 = router ? router->GetObject<Ipv4>() : nullptr;
    if (!ipv4 || outsideInterface >= ipv4->GetNInterfaces() ||
        ipv4->GetNAddresses(outsideInterface) == 0)
    {
        NS_FATAL_ERROR("QuicNatHelper: the outside interface "
                       << outsideInterface
                       << " has no IPv4 address to use as the external address (the NAT is "
                          "IPv4 only)");
    }
    return Install(router,
                   insideInterface,
                   outsideInterface,
                   ipv4->GetAddress(outsideInterface, 0).GetLocal());
}

int64_t
QuicNatHelper::AssignStreams(NodeContainer nodes, int64_t stream) const
{
    int64_t current = stream;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<QuicNat> nat = (*it)->GetObject<QuicNat>();
        if (nat)
        {
            current += nat->AssignStreams(current);
        }
    }
    return current - stream;
}

} // namespace ns3
