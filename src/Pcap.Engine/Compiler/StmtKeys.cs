using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// Numbers for statement sequences, for one compilation: two sequences get the same number exactly when
/// they hold the same statements (code and k) in the same order. A trie: a sequence's number is the
/// number of its prefix extended by its last statement. The optimiser compares tests and loads by them.
/// </summary>
internal sealed class StmtKeys
{
    /// <summary>The empty sequence; <see cref="None"/> stands for no sequence.</summary>
    public const int Empty = 0, None = -1;

    private readonly Dictionary<Edge, int> _next = [];

    /// <summary>Forgets every number (for the next compilation).</summary>
    public void Clear() => _next.Clear();

    /// <summary>The number of <paramref name="key"/>'s sequence followed by <paramref name="s"/>.</summary>
    public int Append(int key, Stmt s)
    {
        var e = new Edge(key, s.Code, s.K);
        if (!_next.TryGetValue(e, out int n)) _next.Add(e, n = _next.Count + 1);
        return n;
    }

    /// <summary>As <see cref="Append"/>, but <see cref="None"/> where no sequence was numbered so far.</summary>
    public int Find(int key, Stmt s) => _next.TryGetValue(new Edge(key, s.Code, s.K), out int n) ? n : None;

    /// <summary>The number of stmts[start .. start + count).</summary>
    public int Of(List<Stmt> stmts, int start, int count)
    {
        int key = Empty;
        for (int i = start; i < start + count; i++) key = Append(key, stmts[i]);
        return key;
    }

    /// <summary>The number of stmts[start .. start + count) if it has one, else <see cref="None"/>.</summary>
    public int FindOf(List<Stmt> stmts, int start, int count)
    {
        int key = Empty;
        for (int i = start; i < start + count && key != None; i++) key = Find(key, stmts[i]);
        return key;
    }

    private readonly struct Edge(int from, int code, uint k) : System.IEquatable<Edge>
    {
        private readonly int _from = from, _code = code;
        private readonly uint _k = k;

        public bool Equals(Edge o) => _from == o._from && _code == o._code && _k == o._k;
        public override bool Equals(object? o) => o is Edge e && Equals(e);
        public override int GetHashCode() => (int)((uint)_from * 0x9E3779B1u ^ (uint)_code * 0x85EBCA77u ^ _k * 0xC2B2AE3Du);
    }
}
