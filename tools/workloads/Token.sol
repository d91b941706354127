// SPDX-License-Identifier: MIT
// The ERC-20 of the Lanes workloads (tools/build-workload-artifacts compiles it): OpenZeppelin's ERC20 with
// the whole supply minted to the deployer, who hands it out with ordinary transfers.
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

contract Token is ERC20 {
    constructor(string memory name_, string memory symbol_, uint256 supply) ERC20(name_, symbol_) {
        _mint(msg.sender, supply);
    }
}
