using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Capture.DBus;

/// <summary>
/// The libdbus-1 calls the D-Bus module makes, found with dlopen the first time a D-Bus device is
/// activated: the library itself loads with the C library alone, and a system without libdbus
/// only loses these devices.
/// </summary>
internal static unsafe class LibDbus
{
    public const string LibraryName = "libdbus-1.so.3";
    public const int BusSession = 0, BusSystem = 1; // DBusBusType

    /// <summary>struct DBusError: name, message, flag bits, padding.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Error
    {
        public byte* Name;
        public byte* Message;
        public uint Bits;
        public void* Padding;

        public readonly string Text => Marshal.PtrToStringUTF8((IntPtr)Message) ?? "";
    }

    static readonly object Gate = new();
    static bool tried;
    static string? loadError;

    public static delegate* unmanaged<Error*, void> ErrorInit;
    public static delegate* unmanaged<Error*, void> ErrorFree;
    public static delegate* unmanaged<Error*, int> ErrorIsSet;
    public static delegate* unmanaged<int, Error*, IntPtr> BusGetPrivate;
    public static delegate* unmanaged<byte*, Error*, IntPtr> ConnectionOpenPrivate;
    public static delegate* unmanaged<IntPtr, Error*, int> BusRegister;
    public static delegate* unmanaged<IntPtr, byte*, Error*, void> BusAddMatch;
    public static delegate* unmanaged<IntPtr, int, void> ConnectionSetExitOnDisconnect;
    public static delegate* unmanaged<IntPtr, long, void> ConnectionSetMaxReceivedSize;
    public static delegate* unmanaged<IntPtr, int, int> ConnectionReadWrite;
    public static delegate* unmanaged<IntPtr, IntPtr> ConnectionPopMessage;
    public static delegate* unmanaged<IntPtr, IntPtr, uint*, int> ConnectionSend;
    public static delegate* unmanaged<IntPtr, void> ConnectionFlush;
    public static delegate* unmanaged<IntPtr, void> ConnectionClose;
    public static delegate* unmanaged<IntPtr, void> ConnectionUnref;
    public static delegate* unmanaged<IntPtr, byte*, byte*, int> MessageIsSignal;
    public static delegate* unmanaged<IntPtr, byte**, int*, int> MessageMarshal;
    public static delegate* unmanaged<byte*, int, Error*, IntPtr> MessageDemarshal;
    public static delegate* unmanaged<IntPtr, void> MessageUnref;
    public static delegate* unmanaged<void*, void> Free;

    /// <summary>Loads libdbus once: null when every call is there, else why not.</summary>
    public static string? Load()
    {
        lock (Gate)
        {
            if (tried) return loadError;
            tried = true;
            if (!NativeLibrary.TryLoad(LibraryName, out IntPtr lib))
                return loadError = $"D-Bus capture needs {LibraryName}, which could not be loaded";
            try
            {
                ErrorInit = (delegate* unmanaged<Error*, void>)Get(lib, "dbus_error_init");
                ErrorFree = (delegate* unmanaged<Error*, void>)Get(lib, "dbus_error_free");
                ErrorIsSet = (delegate* unmanaged<Error*, int>)Get(lib, "dbus_error_is_set");
                BusGetPrivate = (delegate* unmanaged<int, Error*, IntPtr>)Get(lib, "dbus_bus_get_private");
                ConnectionOpenPrivate = (delegate* unmanaged<byte*, Error*, IntPtr>)Get(lib, "dbus_connection_open_private");
                BusRegister = (delegate* unmanaged<IntPtr, Error*, int>)Get(lib, "dbus_bus_register");
                BusAddMatch = (delegate* unmanaged<IntPtr, byte*, Error*, void>)Get(lib, "dbus_bus_add_match");
                ConnectionSetExitOnDisconnect = (delegate* unmanaged<IntPtr, int, void>)Get(lib, "dbus_connection_set_exit_on_disconnect");
                ConnectionSetMaxReceivedSize = (delegate* unmanaged<IntPtr, long, void>)Get(lib, "dbus_connection_set_max_received_size");
                ConnectionReadWrite = (delegate* unmanaged<IntPtr, int, int>)Get(lib, "dbus_connection_read_write");
                ConnectionPopMessage = (delegate* unmanaged<IntPtr, IntPtr>)Get(lib, "dbus_connection_pop_message");
                ConnectionSend = (delegate* unmanaged<IntPtr, IntPtr, uint*, int>)Get(lib, "dbus_connection_send");
                ConnectionFlush = (delegate* unmanaged<IntPtr, void>)Get(lib, "dbus_connection_flush");
                ConnectionClose = (delegate* unmanaged<IntPtr, void>)Get(lib, "dbus_connection_close");
                ConnectionUnref = (delegate* unmanaged<IntPtr, void>)Get(lib, "dbus_connection_unref");
                MessageIsSignal = (delegate* unmanaged<IntPtr, byte*, byte*, int>)Get(lib, "dbus_message_is_signal");
                MessageMarshal = (delegate* unmanaged<IntPtr, byte**, int*, int>)Get(lib, "dbus_message_marshal");
                MessageDemarshal = (delegate* unmanaged<byte*, int, Error*, IntPtr>)Get(lib, "dbus_message_demarshal");
                MessageUnref = (delegate* unmanaged<IntPtr, void>)Get(lib, "dbus_message_unref");
                Free = (delegate* unmanaged<void*, void>)Get(lib, "dbus_free");
                return null;
            }
            catch (EntryPointNotFoundException e)
            {
                return loadError = $"D-Bus capture needs {LibraryName}: {e.Message}";
            }
        }
    }

    static IntPtr Get(IntPtr lib, string name) =>
        NativeLibrary.TryGetExport(lib, name, out IntPtr f) ? f : throw new EntryPointNotFoundException($"{name} is missing");

    /// <summary>A NUL-terminated UTF-8 copy on the managed heap, for the duration of a call.</summary>
    public static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
