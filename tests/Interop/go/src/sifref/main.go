// Command sifref signs and verifies SIF images with the reference implementation
// (github.com/sylabs/sif/v2/pkg/integrity), so the interop tests and bench/verify.sh can compare
// sifsign against it.
//
//	sifref sign   -key private.asc [-group-id N] [-sif-id N] [-time UNIX] IMAGE
//	sifref verify -key public.asc  [-group-id N] [-sif-id N] [-legacy] [-legacy-all] IMAGE
//
// Exit 0 on success; on failure the error goes to stderr and the exit code is 1 (2 for usage).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/sylabs/sif/v2/pkg/integrity"
	"github.com/sylabs/sif/v2/pkg/sif"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "sign":
		err = sign(os.Args[2:])
	case "verify":
		err = verify(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: sifref sign|verify -key FILE [-group-id N] [-sif-id N] [-time UNIX] [-legacy] [-legacy-all] IMAGE")
	os.Exit(2)
}

type options struct {
	key       string
	groupID   uint
	sifID     uint
	legacy    bool
	legacyAll bool
	unixTime  int64
	image     string
}

func parse(name string, args []string) options {
	var o options
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	fs.StringVar(&o.key, "key", "", "armored OpenPGP key file")
	fs.UintVar(&o.groupID, "group-id", 0, "object group")
	fs.UintVar(&o.sifID, "sif-id", 0, "object ID")
	fs.BoolVar(&o.legacy, "legacy", false, "legacy signatures")
	fs.BoolVar(&o.legacyAll, "legacy-all", false, "legacy signatures, every object")
	fs.Int64Var(&o.unixTime, "time", 0, "sign as if the clock said this Unix time (signature creation time)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || o.key == "" {
		usage()
	}
	o.image = fs.Arg(0)
	return o
}

func readKeyRing(path string) (openpgp.EntityList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return openpgp.ReadArmoredKeyRing(f)
}

func sign(args []string) error {
	o := parse("sign", args)
	el, err := readKeyRing(o.key)
	if err != nil {
		return err
	}
	if len(el) != 1 || el[0].PrivateKey == nil {
		return errors.New("key file must hold exactly one secret key")
	}
	f, err := sif.LoadContainerFromPath(o.image)
	if err != nil {
		return err
	}
	defer f.UnloadContainer()

	opts := []integrity.SignerOpt{integrity.OptSignWithEntity(el[0])}
	if o.groupID != 0 {
		opts = append(opts, integrity.OptSignGroup(uint32(o.groupID)))
	}
	if o.sifID != 0 {
		opts = append(opts, integrity.OptSignObjects(uint32(o.sifID)))
	}
	if o.unixTime != 0 {
		at := time.Unix(o.unixTime, 0)
		opts = append(opts, integrity.OptSignWithTime(func() time.Time { return at }))
	}
	s, err := integrity.NewSigner(f, opts...)
	if err != nil {
		return err
	}
	return s.Sign()
}

func verify(args []string) error {
	o := parse("verify", args)
	el, err := readKeyRing(o.key)
	if err != nil {
		return err
	}
	f, err := sif.LoadContainerFromPath(o.image, sif.OptLoadWithFlag(os.O_RDONLY))
	if err != nil {
		return err
	}
	defer f.UnloadContainer()

	opts := []integrity.VerifierOpt{integrity.OptVerifyWithKeyRing(el)}
	if o.groupID != 0 {
		opts = append(opts, integrity.OptVerifyGroup(uint32(o.groupID)))
	}
	if o.sifID != 0 {
		opts = append(opts, integrity.OptVerifyObject(uint32(o.sifID)))
	}
	if o.legacy {
		opts = append(opts, integrity.OptVerifyLegacy())
	}
	if o.legacyAll {
		opts = append(opts, integrity.OptVerifyLegacyAll())
	}
	v, err := integrity.NewVerifier(f, opts...)
	if err != nil {
		return err
	}
	if err := v.Verify(); err != nil {
		return err
	}
	fmt.Println("verified")
	return nil
}
