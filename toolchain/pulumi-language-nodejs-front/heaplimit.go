package main

// The program's V8 heap limit. Left to itself V8 sizes the old generation from the machine's memory (gigabytes
// here), so a large preview keeps garbage it has no reason to collect and its peak grows with the machine, not the
// stack. The v3.68 core ignores the nodeargs runtime option, so the front sets --max-old-space-size in the
// program's NODE_OPTIONS, sized from what the stack's config describes.

import (
	"encoding/json"
	"fmt"
	"strings"
)

const (
	// heapBaseMiB is the heap a program needs before it declares anything: the SDK, the providers' SDKs, the
	// components and the config parsing, with room for V8 to work without collecting all the time.
	heapBaseMiB = 320
	// heapPerResourceMiB is the live heap one declared resource keeps during a preview or an update (its
	// inputs, outputs and the SDK's promises), with the same room.
	heapPerResourceMiB = 0.5
	// heapOptionFlag is V8's flag; a NODE_OPTIONS that already sets it is the user's choice and is kept.
	heapOptionFlag = "--max-old-space-size"
)

// describedResources estimates how many resources a stack's config describes: one per config key, plus every
// `replicas` count anywhere in a structured value (each replica is a container with its own resources).
func describedResources(config map[string]string) int {
	total := 0
	for _, value := range config {
		total++
		var parsed any
		if json.Unmarshal([]byte(value), &parsed) == nil {
			total += replicasIn(parsed)
		}
	}
	return total
}

func replicasIn(value any) int {
	total := 0
	switch typed := value.(type) {
	case map[string]any:
		for key, field := range typed {
			if count, ok := field.(float64); ok && key == "replicas" && count > 0 {
				total += int(count)
				continue
			}
			total += replicasIn(field)
		}
	case []any:
		for _, item := range typed {
			total += replicasIn(item)
		}
	}
	return total
}

// heapLimitMiB is the program's old-generation limit for a stack with this config.
func heapLimitMiB(config map[string]string) int {
	return heapBaseMiB + int(heapPerResourceMiB*float64(describedResources(config)))
}

// withHeapLimit returns NODE_OPTIONS with the stack's heap limit added, or ok=false when the user's NODE_OPTIONS
// already sets one (it is never replaced).
func withHeapLimit(nodeOptions string, config map[string]string) (string, bool) {
	for _, option := range strings.Fields(nodeOptions) {
		if option == heapOptionFlag || strings.HasPrefix(option, heapOptionFlag+"=") {
			return nodeOptions, false
		}
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s=%d", nodeOptions, heapOptionFlag, heapLimitMiB(config))), true
}
