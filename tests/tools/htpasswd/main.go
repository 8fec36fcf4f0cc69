// Command htpasswd prints one bcrypt htpasswd line, "USER:HASH", for the
// registry's basic auth. The password is read from standard input so it never
// appears in a process listing.
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: htpasswd USER < password")
	}
	password, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && password == "" {
		log.Fatalf("reading the password from stdin: %v", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(strings.TrimRight(password, "\r\n")), bcrypt.DefaultCost)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s:%s\n", os.Args[1], hash)
}
