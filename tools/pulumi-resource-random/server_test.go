package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"
)

func props(t *testing.T, m resource.PropertyMap) *pulumirpc.CreateRequest {
	t.Helper()
	s, err := marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.CreateRequest{Type: passwordType, Properties: s}
}

func TestPasswordHonoursMinimumsAndHashesTheResult(t *testing.T) {
	in := resource.PropertyMap{
		"length": resource.NewProperty(32.0), "special": resource.NewProperty(false),
		"minUpper": resource.NewProperty(3.0), "minNumeric": resource.NewProperty(4.0),
	}
	resp, err := newServer("1").Create(context.Background(), props(t, in))
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetId() != passwordID {
		t.Fatalf("id %q, want %q", resp.GetId(), passwordID)
	}
	out, err := unmarshal(resp.GetProperties())
	if err != nil {
		t.Fatal(err)
	}
	if !out["result"].IsSecret() || !out["bcryptHash"].IsSecret() {
		t.Fatalf("result and bcryptHash must be secret: %v", out)
	}
	result := out["result"].SecretValue().Element.StringValue()
	if len(result) != 32 {
		t.Fatalf("length %d, want 32", len(result))
	}
	count := func(set string) int {
		n := 0
		for _, c := range result {
			if strings.ContainsRune(set, c) {
				n++
			}
		}
		return n
	}
	if count(upperChars) < 3 || count(numChars) < 4 || count(specialChars) != 0 {
		t.Fatalf("%q breaks minUpper 3, minNumeric 4, special false", result)
	}
	hash := out["bcryptHash"].SecretValue().Element.StringValue()
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(result)) != nil {
		t.Fatal("bcryptHash does not match result")
	}
	for key, want := range map[resource.PropertyKey]resource.PropertyValue{
		"lower": resource.NewProperty(true), "numeric": resource.NewProperty(true),
		"number": resource.NewProperty(true), "minSpecial": resource.NewProperty(0.0),
	} {
		if !out[key].DeepEquals(want) {
			t.Errorf("%s = %v, want upstream's default %v", key, out[key], want)
		}
	}
}

func TestStringIdIsItsResult(t *testing.T) {
	req := props(t, resource.PropertyMap{"length": resource.NewProperty(6.0)})
	req.Type = stringType
	resp, err := newServer("1").Create(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := unmarshal(resp.GetProperties())
	if out["result"].IsSecret() || out["result"].StringValue() != resp.GetId() || len(resp.GetId()) != 6 {
		t.Fatalf("id %q, result %v", resp.GetId(), out["result"])
	}
}

func diff(t *testing.T, olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
	t.Helper()
	o, _ := marshal(olds)
	n, _ := marshal(news)
	resp, err := newServer("1").Diff(context.Background(), &pulumirpc.DiffRequest{OldInputs: o, News: n})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestEqualInputsGiveNoDiff(t *testing.T) {
	in := resource.PropertyMap{"length": resource.NewProperty(16.0), "special": resource.NewProperty(false)}
	if resp := diff(t, in, in.Copy()); resp.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE || len(resp.GetReplaces()) != 0 {
		t.Fatalf("equal inputs: %v", resp)
	}
	// An input set to its default is the same as leaving it out.
	explicit := resource.PropertyMap{"length": resource.NewProperty(16.0), "special": resource.NewProperty(false), "upper": resource.NewProperty(true)}
	if resp := diff(t, in, explicit); resp.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("default made explicit: %v", resp)
	}
}

func TestAnyInputChangeReplaces(t *testing.T) {
	olds := resource.PropertyMap{"length": resource.NewProperty(16.0)}
	news := resource.PropertyMap{"length": resource.NewProperty(24.0), "keepers": resource.NewProperty(resource.PropertyMap{"k": resource.NewProperty("v")})}
	resp := diff(t, olds, news)
	if resp.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || strings.Join(resp.GetReplaces(), ",") != "keepers,length" {
		t.Fatalf("replaces %v", resp.GetReplaces())
	}
	if resp.GetDetailedDiff()["keepers"].GetKind() != pulumirpc.PropertyDiff_ADD_REPLACE {
		t.Fatalf("keepers kind %v", resp.GetDetailedDiff()["keepers"].GetKind())
	}
}

func TestCheckRefusesImpossibleMinimums(t *testing.T) {
	n, _ := marshal(resource.PropertyMap{"length": resource.NewProperty(4.0), "minUpper": resource.NewProperty(3.0), "minNumeric": resource.NewProperty(2.0)})
	resp, err := newServer("1").Check(context.Background(), &pulumirpc.CheckRequest{Type: passwordType, News: n})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetFailures()) != 1 || !strings.Contains(resp.GetFailures()[0].GetReason(), "sum of the minimums (5)") {
		t.Fatalf("failures %v", resp.GetFailures())
	}
}

func TestPreviewLeavesResultUnknown(t *testing.T) {
	req := props(t, resource.PropertyMap{"length": resource.NewProperty(8.0)})
	req.Preview = true
	resp, err := newServer("1").Create(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := unmarshal(resp.GetProperties())
	if !out["result"].ContainsUnknowns() || !out["bcryptHash"].ContainsUnknowns() {
		t.Fatalf("preview outputs %v", out)
	}
}
