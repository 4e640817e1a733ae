// Licensed to the Apache Software Foundation (ASF) under one
// or more contributor license agreements.  See the NOTICE file
// distributed with this work for additional information
// regarding copyright ownership.  The ASF licenses this file
// to you under the Apache License, Version 2.0 (the
// "License"); you may not use this file except in compliance
// with the License.  You may obtain a copy of the License at
//
// http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

//go:build arm64 && !noasm && !appengine
// +build arm64,!noasm,!appengine

package array

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:noescape
func _packBoolsNEON(values, dst unsafe.Pointer, length int)

func packBoolsSIMD(dst []byte, values []bool) int {
	if !cpu.ARM64.HasASIMD {
		return 0
	}

	length := len(values) &^ 31
	if length == 0 {
		return 0
	}

	_packBoolsNEON(
		unsafe.Pointer(unsafe.SliceData(values)),
		unsafe.Pointer(unsafe.SliceData(dst)),
		length,
	)
	return length
}
