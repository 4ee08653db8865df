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

    // An open-addressed hash table of trie edges (prefix number, statement) to numbers; an entry belongs to
    // the table only while its generation is the current one, so that clearing it writes nothing.
    private Entry[] _table = new Entry[64];
    private int _count, _generation = 1;

    private struct Entry
    {
        public int Generation, From, Code, Number;
        public uint K;
    }

    /// <summary>Forgets every number (for the next compilation).</summary>
    public void Clear()
    {
        _count = 0;
        if (++_generation == int.MaxValue || _table.Length > 1 << 14)
        {
            _table = new Entry[64];
            _generation = 1;
        }
    }

    /// <summary>The number of <paramref name="key"/>'s sequence followed by <paramref name="s"/>.</summary>
    public int Append(int key, Stmt s)
    {
        int n = Find(key, s.Code, s.K, out int slot);
        if (n != None) return n;
        _table[slot] = new Entry { Generation = _generation, From = key, Code = s.Code, K = s.K, Number = ++_count };
        if (2 * _count > _table.Length) Grow();
        return _count;
    }

    /// <summary>As <see cref="Append"/>, but <see cref="None"/> where no sequence was numbered so far.</summary>
    public int Find(int key, Stmt s) => Find(key, s.Code, s.K, out _);

    private int Find(int key, int code, uint k, out int slot)
    {
        int mask = _table.Length - 1;
        int i = (int)(((uint)key * 0x9E3779B1u ^ (uint)code * 0x85EBCA77u ^ k * 0xC2B2AE3Du) >> 7) & mask;
        while (true)
        {
            ref var e = ref _table[i];
            if (e.Generation != _generation) { slot = i; return None; }
            if (e.From == key && e.Code == code && e.K == k) { slot = i; return e.Number; }
            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _table;
        _table = new Entry[2 * old.Length];
        foreach (var e in old)
        {
            if (e.Generation != _generation) continue;
            Find(e.From, e.Code, e.K, out int slot);
            _table[slot] = e;
        }
    }

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
}
