/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-attacker-helper.h"

#include "ns3/abort.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"
#include "ns3/uinteger.h"

namespace ns3
{

QuicOffPathInjectorHelper::QuicOffPathInjectorHelper(Ipv4Address target, uint16_t port)
{
    m_factory.SetTypeId(QuicOffPathInjector::GetTypeId());
    m_factory.Set("Target", Ipv4AddressValue(target));
    m_factory.Set("TargetPort", UintegerValue(port));
}

void
QuicOffPathInjectorHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
QuicOffPathInjectorHelper::Install(Ptr<Node> node) const
{
    Ptr<QuicOffPathInjector> app = m_factory.Create<QuicOffPathInjector>();
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
QuicOffPathInjectorHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        apps.Add(Install(*it));
    }
    return apps;
}

int64_t
QuicOffPathInjectorHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<QuicOffPathInjector> app = DynamicCast<QuicOffPathInjector>(*it);
        if (app)
        {
            used += app->AssignStreams(stream + used);
        }
    }
    return used;
}

QuicCopyRaceForwarderHelper::QuicCopyRaceForwarderHelper()
{
    m_factory.SetTypeId(QuicCopyRaceForwarder::GetTypeId());
}

void
QuicCopyRaceForwarderHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
QuicCopyRaceForwarderHelper::Install(Ptr<Node> attacker, Ptr<NetDevice> sniffDevice) const
{
    Ptr<QuicCopyRaceForwarder> app = m_factory.Create<QuicCopyRaceForwarder>();
    attacker->AddApplication(app);
    NS_ABORT_MSG_UNLESS(app->Sniff(sniffDevice),
                        "QuicCopyRaceForwarderHelper: the device has no MacTx/MacRx trace");
    return ApplicationContainer(app);
}

int64_t
QuicCopyRaceForwarderHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<QuicCopyRaceForwarder> app = DynamicCast<QuicCopyRaceForwarder>(*it);
        if (app)
        {
            used += app->AssignStreams(stream + used);
        }
    }
    return used;
}

QuicOnPathRewriterHelper::QuicOnPathRewriterHelper()
{
    m_factory.SetTypeId(QuicOnPathRewriter::GetTypeId());
}

void
QuicOnPathRewriterHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<QuicOnPathRewriter>
QuicOnPathRewriterHelper::Install(Ptr<Node> router) const
{
    NS_ABORT_MSG_IF(router->GetObject<QuicOnPathRewriter>(),
                    "QuicOnPathRewriterHelper: node " << router->GetId()
                                                      << " already has a rewriter");
    Ptr<QuicOnPathRewriter> rw = m_factory.Create<QuicOnPathRewriter>();
    NS_ABORT_MSG_UNLESS(rw->Attach(router),
                        "QuicOnPathRewriterHelper: node " << router->GetId()
                                                          << " has no IPv4 routing protocol");
    router->AggregateObject(rw);
    return rw;
}

int64_t
QuicOnPathRewriterHelper::AssignStreams(NodeContainer routers, int64_t stream)
{
    int64_t used = 0;
    for (auto it = routers.Begin(); it != routers.End(); ++it)
    {
        Ptr<QuicOnPathRewriter> rw = (*it)->GetObject<QuicOnPathRewriter>();
        if (rw)
        {
            used += rw->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace ns3
