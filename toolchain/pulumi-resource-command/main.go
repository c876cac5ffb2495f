// STAND-IN, not upstream: our own command:local:Command / command:local:run, because the module proxy here refuses the pulumi-command provider module.
//
// pulumi-resource-command speaks the wire protocol the npm SDK @pulumi/command@1.2.1 expects for the local
// module: the same tokens, input and output property names, replace-on-triggers, and PULUMI_COMMAND_STDOUT /
// PULUMI_COMMAND_STDERR for update and delete commands. Behaviour:
//   - create runs `create` (nothing during preview); a non-zero exit fails the resource with the command's
//     output in the error, and the resource is kept as partially created so `delete` still runs on destroy;
//   - an input change runs `update` (or `create` when `update` is unset); a `triggers` change replaces;
//   - delete runs `delete`;
//   - if any input is secret, stdout and stderr are secret, and the literal secret strings are masked in the
//     streamed log lines and in error messages.
//
// assetPaths and archivePaths are accepted and echoed, but no assets or archive are collected.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is the package version reported to the engine: the npm SDK's version this plugin serves, with build
// metadata that marks it as this project's stand-in (semver ignores build metadata, so the engine accepts it).
var version = "1.2.1+webplatform.standin"

//go:embed schema.json
var schema string

const (
	commandType = "command:local:Command"
	runFunction = "command:local:run"
	envStdout   = "PULUMI_COMMAND_STDOUT"
	envStderr   = "PULUMI_COMMAND_STDERR"
)

// inputKeys are the properties a user sets; everything else in the state is an output.
var inputKeys = []resource.PropertyKey{
	"addPreviousOutputInEnv", "archivePaths", "assetPaths", "create", "delete", "dir", "environment",
	"interpreter", "logging", "stdin", "triggers", "update",
}

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "-version") {
		fmt.Println(version)
		return
	}
	err := provider.Main("command", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &server{host: host}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	host *provider.HostClient
}

var (
	unmarshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}
	marshalOpts   = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}
)

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, unmarshalOpts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, marshalOpts)
}

// ---- plugin-level calls ----

func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (s *server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: strings.Replace(schema, "0.0.0-version", version, 1)}, nil
}

func (s *server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (s *server) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (s *server) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (s *server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func checkType(urn string) error {
	if t := string(resource.URN(urn).Type()); t != commandType {
		return rpcerror.New(codes.InvalidArgument, fmt.Sprintf("unknown resource type %q", t))
	}
	return nil
}

// ---- inputs ----

// inputs is the plain (secrets unwrapped) view of a Command's or run's inputs.
type inputs struct {
	create, update, delete, command *string
	dir, stdin                      *string
	environment                     map[string]string
	interpreter                     []string
	logging                         string
	addPreviousOutputInEnv          bool
	secret                          bool     // some input is secret
	secrets                         []string // literal secret strings, masked in logs and errors
}

func plain(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsOutput() {
		v = v.OutputValue().Element
	}
	return v
}

// secretStrings collects the string leaves under secret markers in v.
func secretStrings(v resource.PropertyValue, underSecret bool, out *[]string, any *bool) {
	switch {
	case v.IsSecret():
		*any = true
		secretStrings(v.SecretValue().Element, true, out, any)
	case v.IsOutput():
		if v.OutputValue().Secret {
			*any = true
			underSecret = true
		}
		secretStrings(v.OutputValue().Element, underSecret, out, any)
	case v.IsString():
		if underSecret && v.StringValue() != "" {
			*out = append(*out, v.StringValue())
		}
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			secretStrings(e, underSecret, out, any)
		}
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			secretStrings(e, underSecret, out, any)
		}
	}
}

func parseInputs(m resource.PropertyMap, isRun bool) (inputs, []*pulumirpc.CheckFailure) {
	in := inputs{logging: "stdoutAndStderr", addPreviousOutputInEnv: true}
	var failures []*pulumirpc.CheckFailure
	fail := func(key, reason string) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: key, Reason: reason})
	}
	str := func(key resource.PropertyKey) *string {
		v, ok := m[key]
		if !ok {
			return nil
		}
		v = plain(v)
		if v.IsNull() || v.IsComputed() {
			return nil
		}
		if !v.IsString() {
			fail(string(key), fmt.Sprintf("%s must be a string", key))
			return nil
		}
		s := v.StringValue()
		return &s
	}
	if isRun {
		in.command = str("command")
		if in.command == nil {
			if v, ok := m["command"]; !ok || !plain(v).IsComputed() {
				fail("command", "missing required property 'command'")
			}
		}
	} else {
		in.create, in.update, in.delete = str("create"), str("update"), str("delete")
	}
	in.dir, in.stdin = str("dir"), str("stdin")
	if l := str("logging"); l != nil {
		switch *l {
		case "stdout", "stderr", "stdoutAndStderr", "none":
			in.logging = *l
		default:
			fail("logging", `logging must be one of "stdout", "stderr", "stdoutAndStderr", "none"`)
		}
	}
	if v, ok := m["addPreviousOutputInEnv"]; ok {
		if v = plain(v); v.IsBool() {
			in.addPreviousOutputInEnv = v.BoolValue()
		} else if !v.IsNull() && !v.IsComputed() {
			fail("addPreviousOutputInEnv", "addPreviousOutputInEnv must be a boolean")
		}
	}
	if v, ok := m["environment"]; ok {
		if v = plain(v); v.IsObject() {
			in.environment = map[string]string{}
			for k, e := range v.ObjectValue() {
				e = plain(e)
				switch {
				case e.IsString():
					in.environment[string(k)] = e.StringValue()
				case e.IsComputed() || e.IsNull():
				default:
					fail("environment", fmt.Sprintf("environment value %q must be a string", k))
				}
			}
		} else if !v.IsNull() && !v.IsComputed() {
			fail("environment", "environment must be a map of strings")
		}
	}
	for _, key := range []resource.PropertyKey{"interpreter", "assetPaths", "archivePaths"} {
		v, ok := m[key]
		if !ok {
			continue
		}
		if v = plain(v); v.IsArray() {
			var list []string
			for _, e := range v.ArrayValue() {
				if e = plain(e); e.IsString() {
					list = append(list, e.StringValue())
				} else if !e.IsComputed() {
					fail(string(key), fmt.Sprintf("%s must be a list of strings", key))
				}
			}
			if key == "interpreter" {
				in.interpreter = list
			}
		} else if !v.IsNull() && !v.IsComputed() {
			fail(string(key), fmt.Sprintf("%s must be a list of strings", key))
		}
	}
	for _, v := range m {
		secretStrings(v, false, &in.secrets, &in.secret)
	}
	return in, failures
}

func (s *server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	known := map[resource.PropertyKey]bool{}
	for _, k := range inputKeys {
		known[k] = true
	}
	_, failures := parseInputs(news, false)
	for k := range news {
		if !known[k] && !strings.HasPrefix(string(k), "__") {
			failures = append(failures, &pulumirpc.CheckFailure{
				Property: string(k), Reason: fmt.Sprintf("unknown property %q for %s", k, commandType),
			})
		}
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// ---- diff ----

func onlyInputs(m resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for _, k := range inputKeys {
		if v, ok := m[k]; ok && !v.IsNull() {
			out[k] = v
		}
	}
	return out
}

func (s *server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	oldSrc := req.GetOldInputs()
	if oldSrc == nil {
		oldSrc = req.GetOlds()
	}
	olds, err := unmarshal(oldSrc)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	olds, news = onlyInputs(olds), onlyInputs(news)

	detailed := map[string]*pulumirpc.PropertyDiff{}
	var diffs, replaces []string
	for _, k := range inputKeys {
		o, hadOld := olds[k]
		n, hasNew := news[k]
		if !hadOld && !hasNew {
			continue
		}
		var kind pulumirpc.PropertyDiff_Kind
		switch {
		case !hadOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		case n.ContainsUnknowns() || !stripSecrets(o).DeepEquals(stripSecrets(n)):
			kind = pulumirpc.PropertyDiff_UPDATE
		default:
			continue
		}
		diffs = append(diffs, string(k))
		if k == "triggers" {
			kind = map[pulumirpc.PropertyDiff_Kind]pulumirpc.PropertyDiff_Kind{
				pulumirpc.PropertyDiff_ADD:    pulumirpc.PropertyDiff_ADD_REPLACE,
				pulumirpc.PropertyDiff_DELETE: pulumirpc.PropertyDiff_DELETE_REPLACE,
				pulumirpc.PropertyDiff_UPDATE: pulumirpc.PropertyDiff_UPDATE_REPLACE,
			}[kind]
			replaces = append(replaces, string(k))
		}
		detailed[string(k)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(diffs) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{
		Changes:         changes,
		Diffs:           diffs,
		Replaces:        replaces,
		DetailedDiff:    detailed,
		HasDetailedDiff: true,
	}, nil
}

func stripSecrets(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return stripSecrets(v.SecretValue().Element)
	case v.IsArray():
		arr := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = stripSecrets(e)
		}
		return resource.NewArrayProperty(arr)
	case v.IsObject():
		obj := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			obj[k] = stripSecrets(e)
		}
		return resource.NewObjectProperty(obj)
	}
	return v
}

// ---- running a command ----

type runResult struct {
	stdout, stderr string
}

// mask replaces every literal secret string in text.
func (in *inputs) mask(text string) string {
	secrets := append([]string(nil), in.secrets...)
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, sec := range secrets {
		text = strings.ReplaceAll(text, sec, "[secret]")
	}
	return text
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// run executes command the way upstream does: through the interpreter (default /bin/sh -c), in dir (default
// the plugin's working directory, i.e. the Pulumi project), with the environment extended by the inputs and,
// unless disabled, the previous stdout/stderr. It streams lines to the engine as status messages.
func (s *server) run(ctx context.Context, urn resource.URN, command string, in inputs, prev runResult) (
	runResult, error,
) {
	args := in.interpreter
	if len(args) == 0 {
		if runtime.GOOS == "windows" {
			args = []string{"cmd", "/C"}
		} else {
			args = []string{"/bin/sh", "-c"}
		}
	}
	args = append(append([]string(nil), args...), command)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...) //nolint:gosec // running user commands is the point
	if in.dir != nil {
		cmd.Dir = *in.dir
	}
	cmd.Env = os.Environ()
	keys := make([]string, 0, len(in.environment))
	for k := range in.environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd.Env = append(cmd.Env, k+"="+in.environment[k])
	}
	if in.addPreviousOutputInEnv {
		if prev.stdout != "" {
			cmd.Env = append(cmd.Env, envStdout+"="+prev.stdout)
		}
		if prev.stderr != "" {
			cmd.Env = append(cmd.Env, envStderr+"="+prev.stderr)
		}
	}
	if in.stdin != nil && *in.stdin != "" {
		cmd.Stdin = strings.NewReader(*in.stdin)
	}

	var stdout, stderr, combined bytes.Buffer
	both := &lockedWriter{w: &combined}
	logR, logW := io.Pipe()
	logW2 := &lockedWriter{w: logW}
	outWriters := []io.Writer{&stdout, both}
	errWriters := []io.Writer{&stderr, both}
	if in.logging == "stdout" || in.logging == "stdoutAndStderr" {
		outWriters = append(outWriters, logW2)
	}
	if in.logging == "stderr" || in.logging == "stdoutAndStderr" {
		errWriters = append(errWriters, logW2)
	}
	cmd.Stdout = io.MultiWriter(outWriters...)
	cmd.Stderr = io.MultiWriter(errWriters...)

	logged := make(chan struct{})
	go func() {
		defer close(logged)
		scanner := bufio.NewScanner(logR)
		scanner.Buffer(make([]byte, 64*1024), 1024*1024)
		for scanner.Scan() {
			if s.host != nil {
				_ = s.host.LogStatus(ctx, diag.Info, urn, in.mask(scanner.Text()))
			}
		}
		_, _ = io.Copy(io.Discard, logR)
	}()
	err := cmd.Run()
	_ = logW.Close()
	<-logged

	res := runResult{
		stdout: strings.TrimSuffix(stdout.String(), "\n"),
		stderr: strings.TrimSuffix(stderr.String(), "\n"),
	}
	if err != nil {
		return res, fmt.Errorf("%s", in.mask(fmt.Sprintf("%v: running %q:\n%s", err, command, combined.String())))
	}
	return res, nil
}

// outputs is the resource state: the inputs as given plus stdout and stderr, secret if any input was.
func outputs(news resource.PropertyMap, in inputs, stdout, stderr resource.PropertyValue) resource.PropertyMap {
	out := onlyInputs(news)
	if in.secret {
		if !stdout.IsComputed() {
			stdout = resource.MakeSecret(stdout)
		}
		if !stderr.IsComputed() {
			stderr = resource.MakeSecret(stderr)
		}
	}
	out["stdout"], out["stderr"] = stdout, stderr
	return out
}

func unknown() resource.PropertyValue {
	return resource.MakeComputed(resource.NewStringProperty(""))
}

func previous(state resource.PropertyMap) runResult {
	str := func(k resource.PropertyKey) string {
		if v := plain(state[k]); v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	return runResult{stdout: str("stdout"), stderr: str("stderr")}
}

// initFailed reports a command that failed after the resource came into being: the engine keeps the partial
// state (so delete still runs later) and fails the resource with reason.
func initFailed(id string, state, news resource.PropertyMap, reason error) error {
	props, err := marshal(state)
	if err != nil {
		return err
	}
	ins, err := marshal(news)
	if err != nil {
		return err
	}
	return rpcerror.WithDetails(rpcerror.New(codes.Unknown, reason.Error()), &pulumirpc.ErrorResourceInitFailed{
		Id: id, Properties: props, Inputs: ins, Reasons: []string{reason.Error()},
	})
}

// ---- CRUD ----

func (s *server) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	urn := resource.URN(req.GetUrn())
	news, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	in, failures := parseInputs(news, false)
	if len(failures) > 0 {
		return nil, rpcerror.New(codes.InvalidArgument, failures[0].Reason)
	}
	if req.GetPreview() {
		stdout, stderr := resource.NewStringProperty(""), resource.NewStringProperty("")
		if in.create != nil || anyUnknown(news) {
			stdout, stderr = unknown(), unknown()
		}
		props, err := marshal(outputs(news, in, stdout, stderr))
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: props}, nil
	}

	id, err := resource.NewUniqueHex(urn.Name(), 8, 0)
	if err != nil {
		return nil, err
	}
	var res runResult
	if in.create != nil {
		res, err = s.run(ctx, urn, *in.create, in, runResult{})
	}
	state := outputs(news, in, resource.NewStringProperty(res.stdout), resource.NewStringProperty(res.stderr))
	if err != nil {
		return nil, initFailed(id, state, news, err)
	}
	props, err := marshal(state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func anyUnknown(m resource.PropertyMap) bool {
	return resource.NewObjectProperty(m).ContainsUnknowns()
}

func (s *server) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	urn := resource.URN(req.GetUrn())
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	in, failures := parseInputs(news, false)
	if len(failures) > 0 {
		return nil, rpcerror.New(codes.InvalidArgument, failures[0].Reason)
	}
	prev := previous(olds)
	command := in.create
	if in.update != nil {
		command = in.update
	}
	if req.GetPreview() {
		stdout, stderr := resource.NewStringProperty(prev.stdout), resource.NewStringProperty(prev.stderr)
		if command != nil || anyUnknown(news) {
			stdout, stderr = unknown(), unknown()
		}
		props, err := marshal(outputs(news, in, stdout, stderr))
		if err != nil {
			return nil, err
		}
		return &pulumirpc.UpdateResponse{Properties: props}, nil
	}
	res := prev
	if command != nil {
		res, err = s.run(ctx, urn, *command, in, prev)
	}
	state := outputs(news, in, resource.NewStringProperty(res.stdout), resource.NewStringProperty(res.stderr))
	if err != nil {
		return nil, initFailed(req.GetId(), state, news, err)
	}
	props, err := marshal(state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func (s *server) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	state, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	in, _ := parseInputs(state, false)
	if in.delete == nil {
		return &emptypb.Empty{}, nil
	}
	if _, err := s.run(ctx, resource.URN(req.GetUrn()), *in.delete, in, previous(state)); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// Read (refresh, import) has nothing to look at: the state is what the commands printed.
func (s *server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	inputs := req.GetInputs()
	if inputs == nil {
		state, err := unmarshal(req.GetProperties())
		if err != nil {
			return nil, err
		}
		if inputs, err = marshal(onlyInputs(state)); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: inputs}, nil
}

// Invoke serves command:local:run, which runs its command on every program run (previews included).
func (s *server) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	if req.GetTok() != runFunction {
		return nil, rpcerror.New(codes.InvalidArgument, fmt.Sprintf("unknown function %q", req.GetTok()))
	}
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	in, failures := parseInputs(args, true)
	if len(failures) > 0 {
		return &pulumirpc.InvokeResponse{Failures: failures}, nil
	}
	res, err := s.run(ctx, "", *in.command, in, runResult{})
	if err != nil {
		return nil, err
	}
	out := resource.PropertyMap{}
	for k, v := range args {
		out[k] = v
	}
	stdout, stderr := resource.NewStringProperty(res.stdout), resource.NewStringProperty(res.stderr)
	if in.secret {
		stdout, stderr = resource.MakeSecret(stdout), resource.MakeSecret(stderr)
	}
	out["stdout"], out["stderr"] = stdout, stderr
	ret, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}
