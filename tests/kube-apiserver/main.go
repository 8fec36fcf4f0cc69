// Command kube-apiserver-harness runs a real Kubernetes API server, backed by
// a real embedded etcd, on loopback for the project's tests.
//
// It writes into -dir:
//
//	admin.kubeconfig       cluster-admin (client certificate, group system:masters)
//	restricted.kubeconfig  user "restricted": may only get/list/watch in namespace "default"
//	admin.token            a bearer token for cluster-admin (for token-based client configs)
//	ca.crt                 the CA that signed the serving and client certificates
//	ready                  written last, holding the server URL, once RBAC is bootstrapped
//
// It runs until SIGINT or SIGTERM. There is no kubelet or controller-manager:
// tests that need a ready Deployment write its status subresource themselves.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	dir := flag.String("dir", "", "directory for etcd data, certificates and kubeconfigs (required)")
	flag.Parse()
	if *dir == "" {
		log.Fatal("-dir is required")
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		log.Fatal(err)
	}
	os.Remove(filepath.Join(*dir, "ready"))

	etcd, etcdURL := startEtcd(filepath.Join(*dir, "etcd"))
	defer etcd.Close()

	pki := newPKI(*dir)
	port := freePort()
	server := fmt.Sprintf("https://127.0.0.1:%d", port)

	go func() {
		if err := bootstrap(*dir, server, pki); err != nil {
			log.Fatalf("bootstrap: %v", err)
		}
	}()

	cmd := app.NewAPIServerCommand()
	cmd.SetArgs([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", port),
		"--cert-dir=" + filepath.Join(*dir, "certs"),
		"--tls-cert-file=" + pki.servingCert,
		"--tls-private-key-file=" + pki.servingKey,
		"--client-ca-file=" + pki.caCert,
		"--token-auth-file=" + pki.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pki.saKey,
		"--service-account-signing-key-file=" + pki.saKey,
		"--service-cluster-ip-range=10.96.0.0/24",
		"--endpoint-reconciler-type=none",
		"--enable-priority-and-fairness=false",
		"--v=0",
	})
	if err := cmd.Execute(); err != nil {
		log.Fatalf("kube-apiserver: %v", err)
	}
}

// startEtcd runs a single-member etcd on free loopback ports and waits until it serves.
func startEtcd(dataDir string) (*embed.Etcd, string) {
	cfg := embed.NewConfig()
	cfg.Dir = dataDir
	cfg.LogLevel = "error"
	clientURL := mustURL(fmt.Sprintf("http://127.0.0.1:%d", freePort()))
	peerURL := mustURL(fmt.Sprintf("http://127.0.0.1:%d", freePort()))
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.Name + "=" + peerURL.String()
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatalf("etcd: %v", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		log.Fatal("etcd did not become ready within 60s")
	}
	return e, clientURL.String()
}

// pki holds the paths of the generated key material.
type pki struct {
	caCert, servingCert, servingKey, saKey, tokenFile string
	caPEM                                            []byte
	admin, restricted                                keyPair
	adminToken                                       string
}

type keyPair struct{ cert, key []byte }

// newPKI creates a CA, a serving certificate for 127.0.0.1, client certificates
// for the admin and the restricted user, a service-account signing key and a
// static token file.
func newPKI(dir string) pki {
	caKey := newECKey()
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "upbound-connect-test-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	check(err)
	ca, err := x509.ParseCertificate(caDER)
	check(err)

	issue := func(cn string, orgs []string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) keyPair {
		key := newECKey()
		tmpl := &x509.Certificate{
			SerialNumber: serial(),
			Subject:      pkix.Name{CommonName: cn, Organization: orgs},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  ips,
			DNSNames:     dns,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		check(err)
		keyDER, err := x509.MarshalECPrivateKey(key)
		check(err)
		return keyPair{
			cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			key:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		}
	}

	p := pki{
		caCert:      filepath.Join(dir, "ca.crt"),
		servingCert: filepath.Join(dir, "serving.crt"),
		servingKey:  filepath.Join(dir, "serving.key"),
		saKey:       filepath.Join(dir, "service-account.key"),
		tokenFile:   filepath.Join(dir, "tokens.csv"),
		caPEM:       pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
	}
	serving := issue("kube-apiserver", nil, x509.ExtKeyUsageServerAuth,
		[]net.IP{net.ParseIP("127.0.0.1")}, []string{"localhost", "kubernetes.default.svc"})
	p.admin = issue("admin", []string{"system:masters"}, x509.ExtKeyUsageClientAuth, nil, nil)
	p.restricted = issue("restricted", nil, x509.ExtKeyUsageClientAuth, nil, nil)

	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	check(err)
	token := make([]byte, 24)
	_, err = rand.Read(token)
	check(err)
	p.adminToken = hex.EncodeToString(token)

	write(p.caCert, p.caPEM)
	write(p.servingCert, serving.cert)
	write(p.servingKey, serving.key)
	write(p.saKey, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(saKey)}))
	write(p.tokenFile, []byte(fmt.Sprintf("%s,admin-token,admin-token-uid,\"system:masters\"\n", p.adminToken)))
	write(filepath.Join(dir, "admin.token"), []byte(p.adminToken))
	return p
}

// bootstrap waits for the server to be ready, grants the restricted user
// read access in "default", then writes the kubeconfigs and the ready marker.
func bootstrap(dir, server string, p pki) error {
	cfg := &clientcmdapi.Config{
		Clusters: map[string]*clientcmdapi.Cluster{"harness": {Server: server, CertificateAuthorityData: p.caPEM}},
		AuthInfos: map[string]*clientcmdapi.AuthInfo{
			"admin":      {ClientCertificateData: p.admin.cert, ClientKeyData: p.admin.key},
			"restricted": {ClientCertificateData: p.restricted.cert, ClientKeyData: p.restricted.key},
		},
		Contexts: map[string]*clientcmdapi.Context{
			"admin":      {Cluster: "harness", AuthInfo: "admin", Namespace: "default"},
			"restricted": {Cluster: "harness", AuthInfo: "restricted", Namespace: "default"},
		},
	}
	if err := waitReady(server, p); err != nil {
		return err
	}
	cfg.CurrentContext = "admin"
	rest, err := clientcmd.NewDefaultClientConfig(*cfg, nil).ClientConfig()
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(rest)
	if err != nil {
		return err
	}
	if err := grantRestrictedRead(client); err != nil {
		return err
	}
	for _, name := range []string{"admin", "restricted"} {
		cfg.CurrentContext = name
		if err := clientcmd.WriteToFile(*cfg, filepath.Join(dir, name+".kubeconfig")); err != nil {
			return err
		}
	}
	write(filepath.Join(dir, "ready"), []byte(server+"\n"))
	log.Printf("kube-apiserver ready at %s", server)
	return nil
}

// waitReady polls /readyz with the admin certificate until it answers 200.
func waitReady(server string, p pki) error {
	cert, err := tls.X509KeyPair(p.admin.cert, p.admin.key)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(p.caPEM)
	client := &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{cert}}},
	}
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(server + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("kube-apiserver at %s not ready within 120s", server)
}

func grantRestrictedRead(client kubernetes.Interface) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	role := &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: "restricted-read", Namespace: "default"},
		Rules: []rbacv1.PolicyRule{{
			APIGroups: []string{"*"},
			Resources: []string{"*"},
			Verbs:     []string{"get", "list", "watch"},
		}},
	}
	if _, err := client.RbacV1().Roles("default").Create(ctx, role, metav1.CreateOptions{}); err != nil {
		return err
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "restricted-read", Namespace: "default"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "restricted-read"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: "rbac.authorization.k8s.io", Name: "restricted"}},
	}
	_, err := client.RbacV1().RoleBindings("default").Create(ctx, binding, metav1.CreateOptions{})
	return err
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func newECKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	return k
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	check(err)
	return n
}

func mustURL(s string) url.URL {
	u, err := url.Parse(s)
	check(err)
	return *u
}

func write(path string, data []byte) {
	check(os.WriteFile(path, data, 0o600))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
