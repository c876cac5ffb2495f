module github.com/terraform-providers/terraform-provider-docker/pulumi-resource-docker

go 1.25.11

require (
	github.com/pulumi/pulumi-terraform-bridge/v3 v3.137.0
	github.com/pulumi/pulumi/pkg/v3 v3.259.0
	github.com/pulumi/pulumi/sdk/v3 v3.259.0
	github.com/terraform-providers/terraform-provider-docker v0.0.0
)

replace (
	// The bridge needs Pulumi's fork of the Terraform plugin SDK (as every bridged provider does).
	github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 v2.0.0-20260318212141-5525259d096b
	// The upstream provider declares its module path as terraform-providers/...; its code is fetched
	// from the kreuzwerker repository's module.
	github.com/terraform-providers/terraform-provider-docker => github.com/kreuzwerker/terraform-provider-docker v0.0.0-20260916201441-96d331c98ff4
)
