package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	passwordType = "random:index/randomPassword:RandomPassword"
	stringType   = "random:index/randomString:RandomString"
	// passwordID is the id upstream gives every RandomPassword.
	passwordID = "none"
)

// inputKeys are both resources' inputs, in schema order.
var inputKeys = []resource.PropertyKey{
	"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper",
	"number", "numeric", "overrideSpecial", "special", "upper",
}

type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	version string
}

func newServer(version string) *server { return &server{version: version} }

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, opts)
}

func typeOf(token, urn string) (string, error) {
	if token == "" {
		token = string(resource.URN(urn).Type())
	}
	if token != passwordType && token != stringType {
		return "", status.Errorf(codes.InvalidArgument, "random stand-in: unknown resource type %q", token)
	}
	return token, nil
}

func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.version}, nil
}

func (s *server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	spec, err := json.Marshal(schema(s.version))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(spec)}, nil
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

// Check validates what is known and returns the inputs unchanged.
func (s *server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if _, err := typeOf(req.GetType(), req.GetUrn()); err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	if !news.HasValue("length") {
		failures = append(failures, &pulumirpc.CheckFailure{Property: "length", Reason: "Missing required property 'length'"})
	} else if p, known := effective(news); known {
		if err := p.validate(); err != nil {
			failures = append(failures, &pulumirpc.CheckFailure{Property: "length", Reason: err.Error()})
		}
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// Diff replaces the resource when any input's effective value changes.
func (s *server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if req.GetOldInputs() == nil {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	oldValues, newValues := withDefaults(olds), withDefaults(news)
	detailed := map[string]*pulumirpc.PropertyDiff{}
	var replaces []string
	for _, key := range inputKeys {
		if slices.Contains(req.GetIgnoreChanges(), string(key)) {
			continue
		}
		before, after := oldValues[key], newValues[key]
		if after.ContainsUnknowns() || !before.DeepEquals(after) {
			replaces = append(replaces, string(key))
			kind := pulumirpc.PropertyDiff_UPDATE_REPLACE
			if before.IsNull() {
				kind = pulumirpc.PropertyDiff_ADD_REPLACE
			} else if after.IsNull() {
				kind = pulumirpc.PropertyDiff_DELETE_REPLACE
			}
			detailed[string(key)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
		}
	}
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(replaces) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{
		Changes: changes, Replaces: replaces, Diffs: replaces,
		DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

func (s *server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	token, err := typeOf(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	outputs := withDefaults(inputs)
	p, known := effective(inputs)
	if req.GetPreview() && !known {
		outputs["result"] = unknownSecret(token == passwordType)
		if token == passwordType {
			outputs["bcryptHash"] = unknownSecret(true)
		}
		return s.created(token, "", outputs)
	}
	if err := p.validate(); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if req.GetPreview() {
		outputs["result"] = unknownSecret(token == passwordType)
		if token == passwordType {
			outputs["bcryptHash"] = unknownSecret(true)
		}
		return s.created(token, "", outputs)
	}
	result, err := p.generate()
	if err != nil {
		return nil, err
	}
	if token == stringType {
		outputs["result"] = resource.NewProperty(result)
		return s.created(token, result, outputs)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(result), bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	outputs["result"] = resource.MakeSecret(resource.NewProperty(result))
	outputs["bcryptHash"] = resource.MakeSecret(resource.NewProperty(string(hash)))
	return s.created(token, passwordID, outputs)
}

func (s *server) created(_ string, id string, outputs resource.PropertyMap) (*pulumirpc.CreateResponse, error) {
	props, err := marshal(outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// Read returns the state as it is: nothing outside Pulumi changes a random value.
func (s *server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Update is never planned: every input change replaces the resource.
func (s *server) Update(context.Context, *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	return nil, status.Error(codes.Unimplemented, "random stand-in: every change replaces the resource")
}

func (s *server) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func unknownSecret(secret bool) resource.PropertyValue {
	v := resource.MakeComputed(resource.NewProperty(""))
	if secret {
		return resource.MakeSecret(v)
	}
	return v
}

// defaults are upstream's values for inputs left out.
var defaults = resource.PropertyMap{
	"lower": resource.NewProperty(true), "upper": resource.NewProperty(true),
	"numeric": resource.NewProperty(true), "number": resource.NewProperty(true),
	"special": resource.NewProperty(true),
	"minLower": resource.NewProperty(0.0), "minUpper": resource.NewProperty(0.0),
	"minNumeric": resource.NewProperty(0.0), "minSpecial": resource.NewProperty(0.0),
}

// withDefaults is the inputs with upstream's defaults filled in; numeric and its deprecated
// alias number follow whichever of them was set.
func withDefaults(inputs resource.PropertyMap) resource.PropertyMap {
	out := inputs.Copy()
	for key, value := range defaults {
		if !out.HasValue(key) {
			out[key] = value
		}
	}
	switch {
	case inputs.HasValue("numeric") && !inputs.HasValue("number"):
		out["number"] = inputs["numeric"]
	case inputs.HasValue("number") && !inputs.HasValue("numeric"):
		out["numeric"] = inputs["number"]
	}
	return out
}

// effective reads the settings; false when any of them is not known yet.
func effective(inputs resource.PropertyMap) (params, bool) {
	m := withDefaults(inputs)
	if m.ContainsUnknowns() {
		return params{}, false
	}
	num := func(key resource.PropertyKey) int64 {
		v := m[key]
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsNumber() {
			return int64(v.NumberValue())
		}
		return 0
	}
	flag := func(key resource.PropertyKey) bool {
		v := m[key]
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		return v.IsBool() && v.BoolValue()
	}
	override := ""
	if v := m["overrideSpecial"]; v.IsString() {
		override = v.StringValue()
	}
	return params{
		length: num("length"), upper: flag("upper"), lower: flag("lower"),
		numeric: flag("numeric"), special: flag("special"),
		minUpper: num("minUpper"), minLower: num("minLower"),
		minNumeric: num("minNumeric"), minSpecial: num("minSpecial"),
		overrideSpecial: override,
	}, true
}

func (s *server) String() string { return fmt.Sprintf("random stand-in %s", s.version) }
