using System;
using System.Collections.Generic;
using Pcap.Engine.Bpf;
using static Pcap.Engine.Capture.Xdp.Ebpf;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>
/// The XDP program of an <c>xdp:</c> handle: the pcap filter's classic BPF translated to eBPF, so the
/// kernel decides before anything crosses into user space. A packet the filter accepts is redirected
/// to the handle's AF_XDP socket (the XSKMAP entry of its queue); one it rejects goes on to the host
/// stack (XDP_PASS). The translation keeps our interpreter's semantics (Machine.cs, libpcap's
/// bpf_filter): an out-of-packet load, a division by zero or a scratch index past 15 rejects, scratch
/// memory starts zeroed, a shift by X of 32 or more gives 0. Only the verdict is taken in the kernel:
/// when a program can return a length shorter than the snapshot, user space runs it again on the
/// packets it receives for their caplen (<see cref="NeedsCaplenRun"/>).
/// </summary>
public static class XdpFilterProgram
{
    // Registers: A, X, the context, packet start and end, the frame's length; r1-r3 and r0 are scratch.
    const int A = 4, Xr = 5, Ctx = 6, Data = 7, DataEnd = 8, Length = 9, Fp = 10;
    // Loads beyond this offset are outside any single-buffer XDP frame (at most a page), so they reject;
    // the bound also keeps the verifier's packet offsets (MAX_PACKET_OFF, 0xffff) in range.
    const int MaxOffset = 0x3fff;
    const int RejectLabel = -1, AcceptLabel = -2;

    /// <summary>What an accepted packet does: go to the socket (capture), or return XDP_TX (tests, BPF_PROG_TEST_RUN).</summary>
    public enum Accept { Redirect, TestVerdict }

    /// <summary>
    /// Translates <paramref name="program"/> (null: accept every packet). Returns null when the program
    /// is not valid classic BPF or too long for eBPF's 16-bit jumps: the caller filters in user space.
    /// </summary>
    public static EbpfInstruction[]? Translate(ReadOnlySpan<Instruction> program, Accept accept, int mapFd)
    {
        var code = new List<EbpfInstruction>();
        var fixups = new List<(int At, int Target)>(); // eBPF jump at At to classic index Target (or a label)
        int n = program.Length;
        if (n > 0 && !IsValid(program)) return null;
        bool[] reachable = Reachable(program);
        bool usesLength = false, usesMemory = false;
        for (int i = 0; i < n; i++)
        {
            if (!reachable[i]) continue;
            int c = program[i].Code, cls = Opcodes.Class(c);
            if ((cls == Opcodes.Ld || cls == Opcodes.Ldx) && Opcodes.Mode(c) == Opcodes.Len) usesLength = true;
            if ((cls == Opcodes.Ld || cls == Opcodes.Ldx) && Opcodes.Mode(c) == Opcodes.Mem) usesMemory = true;
        }

        code.Add(Mov64Reg(Ctx, 1));
        if (usesLength)
        {
            code.Add(CallHelper(HelperXdpGetBuffLen)); // r1 is still the context
            code.Add(Mov64Reg(Length, 0));
        }
        code.Add(Load(W, Data, Ctx, XdpMdData));
        code.Add(Load(W, DataEnd, Ctx, XdpMdDataEnd));
        code.Add(Mov32Imm(A, 0));
        code.Add(Mov32Imm(Xr, 0));
        if (usesMemory)
            for (int m = 0; m < Opcodes.MemWords; m++) code.Add(StoreImm(W, Fp, Slot(m), 0));

        var label = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            label[i] = code.Count;
            if (reachable[i]) Emit(program[i], i, code, fixups);
        }

        // The verifier refuses code no path reaches: each ending only when some jump goes there (the
        // empty program falls through into the accepting one).
        int reject = -1, acceptAt = -1;
        if (fixups.Exists(f => f.Target == RejectLabel))
        {
            reject = code.Count;
            code.Add(Mov64Imm(0, XdpPass));
            code.Add(ExitProgram());
        }
        if (n == 0 || fixups.Exists(f => f.Target == AcceptLabel))
        {
            acceptAt = code.Count;
            if (accept == Accept.TestVerdict)
            {
                code.Add(Mov64Imm(0, XdpTx));
            }
            else
            {
                LoadMapFd(code, 1, mapFd);
                code.Add(Load(W, 2, Ctx, XdpMdRxQueueIndex));
                code.Add(Mov64Imm(3, XdpPass)); // the action when the queue has no socket
                code.Add(CallHelper(HelperRedirectMap));
            }
            code.Add(ExitProgram());
        }

        var result = code.ToArray();
        foreach (var (at, target) in fixups)
        {
            int to = target == RejectLabel ? reject : target == AcceptLabel ? acceptAt : label[target];
            int offset = to - (at + 1);
            if (offset > short.MaxValue) return null;
            result[at].Offset = (short)offset;
        }
        return result;
    }

    /// <summary>True when a packet's caplen needs the program run in user space (it may return less than the snapshot).</summary>
    public static bool NeedsCaplenRun(ReadOnlySpan<Instruction> program, int snapshot)
    {
        foreach (var ins in program)
        {
            if (Opcodes.Class(ins.Code) != Opcodes.Ret) continue;
            if (Opcodes.RetVal(ins.Code) == Opcodes.A) return true;
            if (ins.K != 0 && ins.K < (uint)snapshot) return true;
        }
        return false;
    }

    static bool IsValid(ReadOnlySpan<Instruction> program)
    {
        unsafe
        {
            fixed (Instruction* p = program) return Validator.IsValid(p, program.Length);
        }
    }

    // Classic BPF jumps only forward, so one pass in order finds every instruction a packet can reach;
    // the kernel's verifier refuses unreachable instructions, so those are left out (and so is what
    // follows an instruction that rejects every packet).
    static bool[] Reachable(ReadOnlySpan<Instruction> program)
    {
        var reachable = new bool[program.Length];
        if (program.Length > 0) reachable[0] = true;
        for (int i = 0; i < program.Length; i++)
        {
            if (!reachable[i]) continue;
            var ins = program[i];
            int cls = Opcodes.Class(ins.Code);
            if (cls == Opcodes.Ret || AlwaysRejects(ins)) continue;
            if (cls != Opcodes.Jmp) { Mark(i + 1); continue; }
            if (Opcodes.Op(ins.Code) == Opcodes.Ja) { Mark(i + 1 + (int)ins.K); continue; }
            Mark(i + 1 + ins.Jt);
            Mark(i + 1 + ins.Jf);
        }
        return reachable;

        void Mark(int target)
        {
            if (target >= 0 && target < reachable.Length) reachable[target] = true;
        }
    }

    /// <summary>Instructions that reject whatever the packet: translated as a jump to the rejecting end.</summary>
    static bool AlwaysRejects(Instruction ins)
    {
        int c = ins.Code;
        uint k = ins.K;
        switch (Opcodes.Class(c))
        {
            case Opcodes.Ld:
            case Opcodes.Ldx:
                return Opcodes.Mode(c) switch
                {
                    Opcodes.Abs or Opcodes.Ind => k + (ulong)SizeBytes(c) > MaxOffset,
                    Opcodes.Msh => k + 1UL > MaxOffset,
                    Opcodes.Mem => k >= Opcodes.MemWords,
                    _ => false,
                };
            case Opcodes.St:
            case Opcodes.Stx:
                return k >= Opcodes.MemWords;
            case Opcodes.Alu:
                return Opcodes.Src(c) == Opcodes.K && Opcodes.Op(c) is Opcodes.Div or Opcodes.Mod && k == 0;
            default:
                return false;
        }
    }

    static short Slot(int m) => (short)(-4 * (m + 1));

    static void Jump(List<EbpfInstruction> code, List<(int, int)> fixups, int target)
    {
        fixups.Add((code.Count, target));
        code.Add(new EbpfInstruction(Jmp, 0, 0, 0, 0));
    }

    static void JumpIf(List<EbpfInstruction> code, List<(int, int)> fixups, byte cls, int op, bool reg, int dst, int srcOrImm, int target)
    {
        fixups.Add((code.Count, target));
        code.Add(reg ? new EbpfInstruction((byte)(cls | op | X), dst, srcOrImm, 0, 0) : new EbpfInstruction((byte)(cls | op | K), dst, 0, 0, srcOrImm));
    }

    static void Emit(Instruction ins, int i, List<EbpfInstruction> code, List<(int, int)> fixups)
    {
        if (AlwaysRejects(ins)) { Jump(code, fixups, RejectLabel); return; }
        int c = ins.Code;
        uint k = ins.K;
        switch (Opcodes.Class(c))
        {
            case Opcodes.Ret:
                if (Opcodes.RetVal(c) == Opcodes.A)
                {
                    JumpIf(code, fixups, Jmp32, Jeq, false, A, 0, RejectLabel);
                    Jump(code, fixups, AcceptLabel);
                }
                else Jump(code, fixups, k == 0 ? RejectLabel : AcceptLabel);
                return;

            case Opcodes.Ld:
                switch (Opcodes.Mode(c))
                {
                    case Opcodes.Imm: code.Add(Mov32Imm(A, (int)k)); return;
                    case Opcodes.Len: code.Add(Mov32Reg(A, Length)); return;
                    case Opcodes.Mem: LoadMemory(A, k, code, fixups); return;
                    case Opcodes.Abs: LoadPacket(A, SizeBytes(c), k, false, code, fixups); return;
                    case Opcodes.Ind: LoadPacket(A, SizeBytes(c), k, true, code, fixups); return;
                }
                break;

            case Opcodes.Ldx:
                switch (Opcodes.Mode(c))
                {
                    case Opcodes.Imm: code.Add(Mov32Imm(Xr, (int)k)); return;
                    case Opcodes.Len: code.Add(Mov32Reg(Xr, Length)); return;
                    case Opcodes.Mem: LoadMemory(Xr, k, code, fixups); return;
                    case Opcodes.Msh:
                        LoadPacket(Xr, 1, k, false, code, fixups);
                        code.Add(Alu32Imm(Opcodes.And, Xr, 0xf));
                        code.Add(Alu32Imm(Opcodes.Lsh, Xr, 2));
                        return;
                }
                break;

            case Opcodes.St:
            case Opcodes.Stx:
                if (k >= Opcodes.MemWords) { Jump(code, fixups, RejectLabel); return; }
                code.Add(Store(W, Fp, Slot((int)k), Opcodes.Class(c) == Opcodes.St ? A : Xr));
                return;

            case Opcodes.Alu:
                EmitAlu(c, k, code, fixups);
                return;

            case Opcodes.Jmp:
            {
                int op = Opcodes.Op(c);
                if (op == Opcodes.Ja) { Jump(code, fixups, i + 1 + (int)k); return; }
                bool reg = Opcodes.Src(c) == Opcodes.X;
                JumpIf(code, fixups, Jmp32, op, reg, A, reg ? Xr : (int)k, i + 1 + ins.Jt);
                if (ins.Jf != 0) Jump(code, fixups, i + 1 + ins.Jf);
                return;
            }

            case Opcodes.Misc:
                code.Add(Opcodes.MiscOp(c) == Opcodes.Tax ? Mov32Reg(Xr, A) : Mov32Reg(A, Xr));
                return;
        }
        Jump(code, fixups, RejectLabel); // no such instruction: the interpreter rejects too
    }

    static int SizeBytes(int code) => Opcodes.Size(code) switch { Opcodes.W => 4, Opcodes.H => 2, _ => 1 };

    static void LoadMemory(int dst, uint k, List<EbpfInstruction> code, List<(int, int)> fixups)
    {
        if (k >= Opcodes.MemWords) Jump(code, fixups, RejectLabel);
        else code.Add(Load(W, dst, Fp, Slot((int)k)));
    }

    // P[k:size] or P[X+k:size], big-endian, after the bounds check the verifier needs: a pointer to the
    // bytes and one past them compared with the packet's end.
    static void LoadPacket(int dst, int size, uint k, bool indexed, List<EbpfInstruction> code, List<(int, int)> fixups)
    {
        if (k + (ulong)size > MaxOffset) { Jump(code, fixups, RejectLabel); return; }
        if (indexed)
        {
            code.Add(Mov64Reg(1, Xr));
            code.Add(Alu64Imm(Opcodes.Add, 1, (int)k));
            JumpIf(code, fixups, Jmp, Opcodes.Jgt, false, 1, MaxOffset - size, RejectLabel);
            code.Add(Mov64Reg(2, Data));
            code.Add(Alu64Reg(Opcodes.Add, 2, 1));
        }
        else
        {
            code.Add(Mov64Reg(2, Data));
            code.Add(Alu64Imm(Opcodes.Add, 2, (int)k));
        }
        code.Add(Mov64Reg(3, 2));
        code.Add(Alu64Imm(Opcodes.Add, 3, size));
        JumpIf(code, fixups, Jmp, Opcodes.Jgt, true, 3, DataEnd, RejectLabel);
        code.Add(Load(size switch { 4 => W, 2 => H, _ => B }, dst, 2, 0));
        if (size > 1) code.Add(ToBigEndian(dst, size * 8));
    }

    static void EmitAlu(int c, uint k, List<EbpfInstruction> code, List<(int, int)> fixups)
    {
        int op = Opcodes.Op(c);
        bool reg = Opcodes.Src(c) == Opcodes.X;
        switch (op)
        {
            case Opcodes.Neg:
                code.Add(new EbpfInstruction((byte)(Alu | Opcodes.Neg), A, 0, 0, 0));
                return;
            case Opcodes.Div:
            case Opcodes.Mod:
                if (reg) JumpIf(code, fixups, Jmp32, Jeq, false, Xr, 0, RejectLabel);
                else if (k == 0) { Jump(code, fixups, RejectLabel); return; }
                break;
            case Opcodes.Lsh:
            case Opcodes.Rsh:
                if (reg)
                {
                    // A shift by X of 32 or more gives 0 (eBPF would take X modulo 32).
                    code.Add(new EbpfInstruction(Jmp32 | Jlt | K, Xr, 0, 2, 32));
                    code.Add(Mov32Imm(A, 0));
                    code.Add(new EbpfInstruction(Jmp, 0, 0, 1, 0));
                    code.Add(Alu32Reg(op, A, Xr));
                    return;
                }
                code.Add(Alu32Imm(op, A, (int)(k & 31)));
                return;
            case Opcodes.Add:
            case Opcodes.Sub:
            case Opcodes.Mul:
            case Opcodes.Or:
            case Opcodes.And:
            case Opcodes.Xor:
                break;
            default:
                Jump(code, fixups, RejectLabel);
                return;
        }
        code.Add(reg ? Alu32Reg(op, A, Xr) : Alu32Imm(op, A, (int)k));
    }

    const int Jeq = Opcodes.Jeq;
}
