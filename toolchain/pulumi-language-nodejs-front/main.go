// pulumi-language-nodejs (front): the Node.js language host the engine talks to.
//
// The real Node.js language host is built from sdk v3.68.0, the newest release whose module the proxy here
// serves (see ../pulumi-language-nodejs). That host runs programs, but its RunPlugin answers "not supported",
// and the v3.259 engine runs Node.js policy packs through RunPlugin. This front starts the v3.68 host
// (pulumi-language-nodejs-core, found beside this binary), forwards every call to it, and implements RunPlugin
// for policy packs itself: it starts @pulumi/pulumi/cmd/run-policy-pack from the pack's own dependencies, as
// newer hosts do.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const analyzerKind = "analyzer"

type front struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	core pulumirpc.LanguageRuntimeClient
	// coreArgs are the engine's arguments to this host, for a core started per program run.
	coreArgs []string
}

func (f *front) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return f.core.Handshake(ctx, req)
}

func (f *front) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return f.core.GetRequiredPlugins(ctx, req)
}

func (f *front) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return f.core.GetRequiredPackages(ctx, req)
}

// Run runs the program with a heap limit sized from the stack (heaplimit.go). The core passes its own environment
// on to the program's node process, so the run goes to a core started for it with that NODE_OPTIONS; when the
// user's NODE_OPTIONS sets a limit already, to the shared core unchanged.
func (f *front) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	nodeOptions, limited := withHeapLimit(os.Getenv("NODE_OPTIONS"), req.GetConfig())
	if !limited {
		return f.core.Run(ctx, req)
	}
	core, stop, err := startCore(f.coreArgs, append(os.Environ(), "NODE_OPTIONS="+nodeOptions))
	if err != nil {
		return nil, err
	}
	defer stop()
	return core.Run(ctx, req)
}

func (f *front) GetPluginInfo(ctx context.Context, req *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return f.core.GetPluginInfo(ctx, req)
}

func (f *front) RuntimeOptionsPrompts(ctx context.Context, req *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return f.core.RuntimeOptionsPrompts(ctx, req)
}

func (f *front) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return f.core.About(ctx, req)
}

func (f *front) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return f.core.GetProgramDependencies(ctx, req)
}

// InstallDependencies relays the core's stream of progress output.
func (f *front) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	stream, err := f.core.InstallDependencies(server.Context(), req)
	if err != nil {
		return err
	}
	for {
		msg, err := stream.Recv()
		if err != nil {
			if errors.Is(err, context.Canceled) || status.Code(err) == codes.Canceled || err.Error() == "EOF" {
				return nil
			}
			if strings.HasSuffix(err.Error(), "EOF") {
				return nil
			}
			return err
		}
		if err := server.Send(msg); err != nil {
			return err
		}
	}
}

// RunPlugin starts a policy pack (see packCommand). The engine reads the pack's gRPC port from its first line of
// output, relayed on the stdout stream.
func (f *front) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	if req.Kind != analyzerKind {
		return status.Errorf(codes.Unimplemented, "this Node.js host runs only policy packs as plugins, not %q", req.Kind)
	}
	packDir := req.GetInfo().GetProgramDirectory()
	if packDir == "" {
		packDir = req.Pwd
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("node not found on PATH: %w", err)
	}
	nodeArgs, err := packCommand(packDir, req.Args)
	if err != nil {
		return err
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	cmd := exec.CommandContext(server.Context(), node, nodeArgs...)
	cmd.Dir = packDir
	cmd.Env = withCompileCache(req.Env)
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	exitCode := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		exitCode = exitErr.ExitCode()
	}
	if err := closer.Close(); err != nil {
		return err
	}
	return server.Send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitCode)},
	})
}

// packCommand is node's arguments for a pack. A pack whose package.json `main` is a JavaScript file that exists is
// already compiled: node runs that file directly (with source maps for its stack traces), since
// @pulumi/pulumi/cmd/run-policy-pack would first load TypeScript and ts-node for it and the SDK's runtime, a
// start-up the engine waits for on every preview. Any other pack (TypeScript, or not built) runs as newer hosts
// run it: node <pack's run-policy-pack> <engine address> <pack dir>.
func packCommand(packDir string, engineArgs []string) ([]string, error) {
	if main, ok := compiledMain(packDir); ok {
		return append([]string{"--enable-source-maps", main}, engineArgs...), nil
	}
	entry, err := findRunPolicyPack(packDir)
	if err != nil {
		return nil, err
	}
	args := append([]string{entry}, engineArgs...)
	return append(args, packDir), nil
}

// compiledMain is the pack's package.json `main` when that is a .js or .cjs file that exists.
func compiledMain(packDir string) (string, bool) {
	manifest, err := os.ReadFile(filepath.Join(packDir, "package.json"))
	if err != nil {
		return "", false
	}
	var pkg struct {
		Main string `json:"main"`
	}
	if json.Unmarshal(manifest, &pkg) != nil || pkg.Main == "" {
		return "", false
	}
	if ext := filepath.Ext(pkg.Main); ext != ".js" && ext != ".cjs" {
		return "", false
	}
	main := filepath.Join(packDir, pkg.Main)
	if info, err := os.Stat(main); err != nil || info.IsDir() {
		return "", false
	}
	return main, true
}

// findRunPolicyPack finds @pulumi/pulumi/cmd/run-policy-pack in the node_modules folders from the pack's directory
// up, as Node's require.resolve would, without starting a node process for it.
func findRunPolicyPack(packDir string) (string, error) {
	dir, err := filepath.Abs(packDir)
	if err != nil {
		return "", err
	}
	for {
		entry := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js")
		if _, err := os.Stat(entry); err == nil {
			return entry, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("it looks like the policy pack's dependencies are not installed "+
				"(no @pulumi/pulumi in a node_modules folder from %q up); try running npm install there", packDir)
		}
		dir = parent
	}
}

// compileCacheVariable is Node's on-disk cache of compiled module code (Node >= 22.1): every node process the
// host starts (program and policy pack) loads @pulumi/pulumi, and the cache about halves that start-up.
const compileCacheVariable = "NODE_COMPILE_CACHE"

// defaultCompileCache is where the cache goes unless NODE_COMPILE_CACHE is set (or NODE_DISABLE_COMPILE_CACHE).
func defaultCompileCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "pulumi-language-nodejs", "compile-cache")
}

// withCompileCache adds the default NODE_COMPILE_CACHE to an environment that sets neither cache variable.
func withCompileCache(env []string) []string {
	for _, entry := range env {
		if strings.HasPrefix(entry, compileCacheVariable+"=") || strings.HasPrefix(entry, "NODE_DISABLE_COMPILE_CACHE=") {
			return env
		}
	}
	if dir := defaultCompileCache(); dir != "" {
		return append(env, compileCacheVariable+"="+dir)
	}
	return env
}

// startCore runs the v3.68 host with the engine's arguments and the environment env (nil: this process's) and
// returns a client for it, and a function that closes the client and ends the host.
func startCore(args []string, env []string) (pulumirpc.LanguageRuntimeClient, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	core := exec.Command(filepath.Join(filepath.Dir(self), "pulumi-language-nodejs-core"), args...)
	core.Env = env
	core.Stderr = os.Stderr
	out, err := core.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := core.Start(); err != nil {
		return nil, nil, fmt.Errorf("starting the core Node.js language host: %w", err)
	}
	kill := func() { _ = core.Process.Kill(); _ = core.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		kill()
		return nil, nil, fmt.Errorf("reading the core language host's port: %w", err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		kill()
		return nil, nil, fmt.Errorf("the core language host printed %q instead of a port", line)
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port),
		grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	if err != nil {
		kill()
		return nil, nil, err
	}
	return pulumirpc.NewLanguageRuntimeClient(conn), func() { _ = conn.Close(); kill() }, nil
}

func main() {
	// The core host passes its own environment on to the program's node process.
	if _, set := os.LookupEnv(compileCacheVariable); !set && os.Getenv("NODE_DISABLE_COMPILE_CACHE") == "" {
		if dir := defaultCompileCache(); dir != "" {
			_ = os.Setenv(compileCacheVariable, dir)
		}
	}
	client, stopCore, err := startCore(os.Args[1:], nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer stopCore()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &front{core: client, coreArgs: os.Args[1:]})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
