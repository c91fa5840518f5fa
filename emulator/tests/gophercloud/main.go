// A day's volume work with gophercloud, the Go SDK Terraform's OpenStack provider is built
// on (Debian's golang-github-gophercloud-gophercloud-dev, built in GOPATH mode), configured
// the ordinary way: the identity endpoint and a user's password, the block-storage endpoint
// found in the token's catalogue (volumev3 or volumev2).
//
//	go run main.go BASE_URL USER PASSWORD PROJECT_NAME 3|2
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack"
	"github.com/gophercloud/gophercloud/openstack/blockstorage/extensions/quotasets"
	"github.com/gophercloud/gophercloud/openstack/blockstorage/extensions/volumeactions"
	snapshotsv2 "github.com/gophercloud/gophercloud/openstack/blockstorage/v2/snapshots"
	volumesv2 "github.com/gophercloud/gophercloud/openstack/blockstorage/v2/volumes"
	"github.com/gophercloud/gophercloud/openstack/blockstorage/v3/snapshots"
	"github.com/gophercloud/gophercloud/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/openstack/blockstorage/v3/volumetypes"
)

var steps = 0

func ok(what string, err error) {
	steps++
	if err != nil {
		fmt.Printf("step %d %s: %v\n", steps, what, err)
		os.Exit(1)
	}
	fmt.Printf("ok   %s\n", what)
}

func check(what string, good bool, detail interface{}) {
	if !good {
		fmt.Printf("step %d %s: %v\n", steps, what, detail)
		os.Exit(1)
	}
}

// waitFor polls until status() answers want (or, with want "gone", a 404).
func waitFor(what, want string, status func() (string, error)) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		s, err := status()
		if want == "gone" {
			if _, missing := err.(gophercloud.ErrDefault404); missing {
				ok(what+" gone", nil)
				return
			}
		} else if err == nil && s == want {
			ok(what+" "+want, nil)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	ok(what+" "+want, fmt.Errorf("never became %s", want))
}

func main() {
	base, user, password, project, version := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	opts := gophercloud.AuthOptions{
		IdentityEndpoint: base + "/identity/v3",
		Username:         user,
		Password:         password,
		DomainName:       "Default",
		TenantName:       project,
	}
	provider, err := openstack.AuthenticatedClient(opts)
	ok("authenticate with a password", err)
	endpoint := gophercloud.EndpointOpts{Region: "RegionOne"}
	name := fmt.Sprintf("day-v%s-%d", version, os.Getpid())

	if version == "3" {
		client, err := openstack.NewBlockStorageV3(provider, endpoint)
		ok("find volumev3 in the catalogue", err)
		_, err = quotasets.Get(client, project).Extract()
		ok("read the quotas (no usage)", err)
		usage, err := quotasets.GetUsage(client, project).Extract()
		ok("read the quota usage", err)
		check("usage has a volume limit", usage.Volumes.Limit != 0, usage)
		pages, err := volumetypes.List(client, volumetypes.ListOpts{}).AllPages()
		ok("list volume types", err)
		types, err := volumetypes.ExtractVolumeTypes(pages)
		ok("read volume types", err)
		check("some type", len(types) > 0, types)

		v, err := volumes.Create(client, volumes.CreateOpts{Size: 1, Name: name, Description: "for the day",
			Metadata: map[string]string{"team": "storage"}}).Extract()
		ok("create a volume", err)
		get := func() (string, error) {
			got, err := volumes.Get(client, v.ID).Extract()
			if err != nil {
				return "", err
			}
			return got.Status, nil
		}
		waitFor("volume", "available", get)
		pages, err = volumes.List(client, volumes.ListOpts{Name: name}).AllPages()
		ok("list volumes by name", err)
		listed, err := volumes.ExtractVolumes(pages)
		ok("read the list", err)
		check("one volume of that name", len(listed) == 1 && listed[0].ID == v.ID, listed)
		newName, newDescription := name+"-2", "renamed"
		_, err = volumes.Update(client, v.ID, volumes.UpdateOpts{Name: &newName, Description: &newDescription}).Extract()
		ok("rename the volume", err)
		got, err := volumes.Get(client, v.ID).Extract()
		ok("show the volume", err)
		check("renamed", got.Name == newName && got.Description == newDescription, got)
		ok("extend to 2 GB", volumeactions.ExtendSize(client, v.ID, volumeactions.ExtendSizeOpts{NewSize: 2}).ExtractErr())
		waitFor("volume", "available", get)
		got, err = volumes.Get(client, v.ID).Extract()
		ok("show the volume", err)
		check("2 GB", got.Size == 2, got.Size)
		ok("set bootable", volumeactions.SetBootable(client, v.ID, volumeactions.BootableOpts{Bootable: true}).ExtractErr())
		ok("reserve", volumeactions.Reserve(client, v.ID).ExtractErr())
		ok("unreserve", volumeactions.Unreserve(client, v.ID).ExtractErr())
		waitFor("volume", "available", get)

		s, err := snapshots.Create(client, snapshots.CreateOpts{VolumeID: v.ID, Name: "snap-" + name}).Extract()
		ok("create a snapshot", err)
		getSnapshot := func() (string, error) {
			got, err := snapshots.Get(client, s.ID).Extract()
			if err != nil {
				return "", err
			}
			return got.Status, nil
		}
		waitFor("snapshot", "available", getSnapshot)
		pages, err = snapshots.List(client, snapshots.ListOpts{}).AllPages()
		ok("list snapshots", err)
		all, err := snapshots.ExtractSnapshots(pages)
		ok("read the snapshots", err)
		check("the snapshot is listed", len(all) >= 1, all)
		ok("delete the snapshot", snapshots.Delete(client, s.ID).ExtractErr())
		waitFor("snapshot", "gone", getSnapshot)
		ok("delete the volume", volumes.Delete(client, v.ID, volumes.DeleteOpts{}).ExtractErr())
		waitFor("volume", "gone", get)
	} else {
		client, err := openstack.NewBlockStorageV2(provider, endpoint)
		ok("find volumev2 in the catalogue", err)
		usage, err := quotasets.GetUsage(client, project).Extract()
		ok("read the quota usage", err)
		check("usage has a volume limit", usage.Volumes.Limit != 0, usage)
		v, err := volumesv2.Create(client, volumesv2.CreateOpts{Size: 1, Name: name, Description: "for the day"}).Extract()
		ok("create a volume", err)
		get := func() (string, error) {
			got, err := volumesv2.Get(client, v.ID).Extract()
			if err != nil {
				return "", err
			}
			return got.Status, nil
		}
		waitFor("volume", "available", get)
		pages, err := volumesv2.List(client, volumesv2.ListOpts{Name: name}).AllPages()
		ok("list volumes by name", err)
		listed, err := volumesv2.ExtractVolumes(pages)
		ok("read the list", err)
		check("one volume of that name", len(listed) == 1 && listed[0].ID == v.ID, listed)
		newName := name + "-2"
		_, err = volumesv2.Update(client, v.ID, volumesv2.UpdateOpts{Name: &newName}).Extract()
		ok("rename the volume", err)
		ok("extend to 2 GB", volumeactions.ExtendSize(client, v.ID, volumeactions.ExtendSizeOpts{NewSize: 2}).ExtractErr())
		waitFor("volume", "available", get)
		got, err := volumesv2.Get(client, v.ID).Extract()
		ok("show the volume", err)
		check("renamed, 2 GB", got.Name == newName && got.Size == 2, got)
		s, err := snapshotsv2.Create(client, snapshotsv2.CreateOpts{VolumeID: v.ID, Name: "snap-" + name}).Extract()
		ok("create a snapshot", err)
		getSnapshot := func() (string, error) {
			got, err := snapshotsv2.Get(client, s.ID).Extract()
			if err != nil {
				return "", err
			}
			return got.Status, nil
		}
		waitFor("snapshot", "available", getSnapshot)
		ok("delete the snapshot", snapshotsv2.Delete(client, s.ID).ExtractErr())
		waitFor("snapshot", "gone", getSnapshot)
		ok("delete the volume", volumesv2.Delete(client, v.ID, volumesv2.DeleteOpts{}).ExtractErr())
		waitFor("volume", "gone", get)
	}

	opts.Password = password + "-wrong"
	_, err = openstack.AuthenticatedClient(opts)
	steps++
	if _, refused := err.(gophercloud.ErrDefault401); !refused {
		fmt.Printf("step %d a wrong password: want 401, got %v\n", steps, err)
		os.Exit(1)
	}
	fmt.Println("ok   a wrong password is refused (401)")
	fmt.Printf("gophercloud day on volume API %s: ok (%d steps)\n", version, steps)
}
