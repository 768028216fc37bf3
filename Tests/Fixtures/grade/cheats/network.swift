// Tries to reach a server on the grading machine's loopback (@PORT@, filled in by the test,
// which listens there): inside its own network namespace the sandbox has no way out.
let bigramLogits = Tensor.zeros([letters, letters])
let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
var address = sockaddr_in()
address.sin_family = sa_family_t(AF_INET)
address.sin_port = in_port_t(UInt16(@PORT@).bigEndian)
address.sin_addr.s_addr = inet_addr("127.0.0.1")
let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketHandle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
}
print(connected == 0 ? "CONNECTED to the grading machine" : "no network: \(String(cString: strerror(errno)))")
