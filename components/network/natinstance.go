package network

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"

	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	ec2x "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NATInstanceImage is Amazon Linux 2023's public SSM parameter for the
// latest arm64 image. The launch template takes it as resolve:ssm:..., so
// EC2 resolves it at launch and a preview asks AWS nothing (a plain
// instance would replace itself whenever the parameter moves).
const NATInstanceImage = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"

// natUserData turns the instance into a NAT: IP forwarding on, and
// masquerading out of its default-route interface (the commands of the
// AWS VPC user guide's NAT instance, as iptables-services persists them).
const natUserData = `#!/bin/bash
set -euo pipefail
dnf install -y iptables-services
systemctl enable --now iptables
echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat.conf
sysctl -p /etc/sysctl.d/90-nat.conf
iface=$(ip route show default | awk '{print $5; exit}')
iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE
iptables -F FORWARD
service iptables save
`

// newNATInstance gives the private subnets a NAT instance: a fixed
// network interface in the first public subnet (source/destination check
// off, an Elastic IP, its own group) that every private route table's
// default route points at, and an instance launched from a template with
// EC2's automatic recovery, so a replaced host keeps the interface, its
// address and the routes.
func (n *Network) newNATInstance(ctx *pulumi.Context, name, instanceType string, vpc *ec2x.Vpc, azs int, parent pulumi.ResourceOption) error {
	sg, err := NewSecurityGroup(ctx, name+"-nat", &SecurityGroupArgs{
		VpcID:       n.VpcID,
		Description: "NAT instance: 443 from the workloads that declare the internet, out to it",
	}, parent)
	if err != nil {
		return err
	}
	if err := sg.AllowToInternet(ctx, 443, "Forwarded traffic and the instance package installs"); err != nil {
		return err
	}
	n.NAT = sg
	eni, err := awsec2.NewNetworkInterface(ctx, name+"-nat", &awsec2.NetworkInterfaceArgs{
		SubnetId:        n.PublicSubnetIDs.Index(pulumi.Int(0)),
		SecurityGroups:  pulumi.StringArray{sg.ID},
		SourceDestCheck: pulumi.Bool(false), // it forwards others' packets
		Description:     pulumi.String("NAT instance of the private subnets"),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-nat")},
	}, parent)
	if err != nil {
		return fmt.Errorf("create nat interface: %w", err)
	}
	// A public address on a pre-created interface must be an Elastic IP.
	if _, err := awsec2.NewEip(ctx, name+"-nat", &awsec2.EipArgs{
		Domain:           pulumi.String("vpc"),
		NetworkInterface: eni.ID(),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-nat")},
	}, parent); err != nil {
		return fmt.Errorf("create nat address: %w", err)
	}
	lt, err := awsec2.NewLaunchTemplate(ctx, name+"-nat", &awsec2.LaunchTemplateArgs{
		Description:  pulumi.String("NAT instance (Amazon Linux 2023, arm64)"),
		ImageId:      pulumi.String(NATInstanceImage),
		InstanceType: pulumi.String(instanceType),
		UserData:     pulumi.String(base64.StdEncoding.EncodeToString([]byte(natUserData))),
		NetworkInterfaces: awsec2.LaunchTemplateNetworkInterfaceArray{&awsec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex: pulumi.Int(0), NetworkInterfaceId: eni.ID(),
		}},
		MetadataOptions: &awsec2.LaunchTemplateMetadataOptionsArgs{
			HttpTokens: pulumi.String("required"), HttpEndpoint: pulumi.String("enabled"), // IMDSv2 only
		},
		MaintenanceOptions: &awsec2.LaunchTemplateMaintenanceOptionsArgs{AutoRecovery: pulumi.String("default")},
		Tags:               pulumi.StringMap{"Name": pulumi.String(name + "-nat")},
	}, parent)
	if err != nil {
		return fmt.Errorf("create nat launch template: %w", err)
	}
	if _, err := awsec2.NewInstance(ctx, name+"-nat", &awsec2.InstanceArgs{
		LaunchTemplate: &awsec2.InstanceLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(name + "-nat")},
	}, parent); err != nil {
		return fmt.Errorf("create nat instance: %w", err)
	}
	private := PrivateRouteTableIDs(vpc.RouteTables)
	for i := range azs {
		if _, err := awsec2.NewRoute(ctx, fmt.Sprintf("%s-nat-route-%d", name, i+1), &awsec2.RouteArgs{
			RouteTableId:         private.Index(pulumi.Int(i)),
			DestinationCidrBlock: pulumi.String(AnyIPv4),
			NetworkInterfaceId:   eni.ID(),
		}, parent); err != nil {
			return fmt.Errorf("route private subnets to the nat instance: %w", err)
		}
	}
	return nil
}

// PrivateRouteTableIDs are the IDs of the private subnets' route tables,
// one per AZ in AZ order: awsx tags each table SubnetType=Private and Name
// after its subnet, whose names sort by AZ. It reads the tables only
// inside an apply and creates nothing there.
func PrivateRouteTableIDs(tables awsec2.RouteTableArrayOutput) pulumi.StringArrayOutput {
	return tables.ApplyT(func(rts []*awsec2.RouteTable) pulumi.StringArrayOutput {
		parts := make([]any, 0, 2*len(rts))
		for _, rt := range rts {
			parts = append(parts, rt.ID().ToStringOutput(), rt.Tags)
		}
		return pulumi.All(parts...).ApplyT(func(v []any) []string {
			type table struct{ id, name string }
			var private []table
			for i := 0; i+1 < len(v); i += 2 {
				tags, _ := v[i+1].(map[string]string)
				if tags["SubnetType"] == "Private" {
					private = append(private, table{v[i].(string), tags["Name"]})
				}
			}
			sort.Slice(private, func(a, b int) bool { return private[a].name < private[b].name })
			ids := make([]string, len(private))
			for i, t := range private {
				ids[i] = t.id
			}
			return ids
		}).(pulumi.StringArrayOutput)
	}).(pulumi.StringArrayOutput)
}
