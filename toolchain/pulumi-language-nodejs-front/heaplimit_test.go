package main

import "testing"

func TestDescribedResourcesCountsKeysAndEveryReplicasCount(t *testing.T) {
	config := map[string]string{
		"webplatform:environment": "production",
		"webplatform:backend":     `{"image":"app:1","replicas":3}`,
		"webplatform:workers":     `{"celery":{"replicas":1000},"beat":{"command":["beat"]},"list":[{"replicas":2}]}`,
		"webplatform:notJson":     `{"replicas":`,
	}
	if got, want := describedResources(config), 4+3+1000+2; got != want {
		t.Fatalf("describedResources = %d, want %d", got, want)
	}
}

func TestHeapLimitGrowsWithTheStack(t *testing.T) {
	small := heapLimitMiB(map[string]string{"a:workers": `{"w":{"replicas":1}}`})
	large := heapLimitMiB(map[string]string{"a:workers": `{"w":{"replicas":1000}}`})
	if small != heapBaseMiB+1 || large != heapBaseMiB+500 {
		t.Fatalf("heap limits %d and %d MiB, want %d and %d", small, large, heapBaseMiB+1, heapBaseMiB+500)
	}
}

func TestWithHeapLimitKeepsTheUsersOwnLimit(t *testing.T) {
	config := map[string]string{"a:workers": `{"w":{"replicas":1000}}`}
	for _, user := range []string{"--max-old-space-size=4096", "--inspect --max-old-space-size 2048"} {
		if got, limited := withHeapLimit(user, config); limited || got != user {
			t.Fatalf("withHeapLimit(%q) = %q, %v; want the user's value unchanged", user, got, limited)
		}
	}
	got, limited := withHeapLimit("--enable-source-maps", config)
	if !limited || got != "--enable-source-maps --max-old-space-size=820" {
		t.Fatalf("withHeapLimit = %q, %v", got, limited)
	}
	if got, _ := withHeapLimit("", config); got != "--max-old-space-size=820" {
		t.Fatalf("withHeapLimit with no NODE_OPTIONS = %q", got)
	}
}
