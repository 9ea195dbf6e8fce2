/** PEM certificates and keys read with BouncyCastle, shared by finger TLS and ZooKeeper TLS. */
module org.fingerpost.pem {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;

  exports org.fingerpost.pem;
}
