package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;

/**
 * A VAN as configured: its id (the tag it carries between hosts) and an optional name.
 */
public record VanSpec(int id, String name)
{
    /** VAN ids fit 24 bits so that a VAN maps one to one onto a VXLAN VNI. */
    public static final int MAX_ID = 0xFF_FFFF;

    public VanSpec
    {
        checkId(id);
        if (null != name && !name.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"))
        {
            throw new IllegalArgumentException("bad VAN name '" + ControlMessage.printable(name) +
                "': up to 64 letters, digits and _ . : - characters");
        }
    }

    public static int checkId(final int id)
    {
        if (id < 1 || id > MAX_ID)
        {
            throw new IllegalArgumentException("bad VAN id " + id + ": expected 1.." + MAX_ID);
        }
        return id;
    }

    public static int parseId(final String text)
    {
        if (null == text)
        {
            throw new IllegalArgumentException("missing VAN id");
        }
        try
        {
            return checkId(Integer.parseInt(text));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad VAN id '" + ControlMessage.printable(text) + "': expected a number 1.." + MAX_ID);
        }
    }

    public static VanSpec fromRequest(final ControlMessage request)
    {
        return new VanSpec(parseId(request.get("id")), request.get("name"));
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("van-add", "id", Integer.toString(id), "name", name);
    }
}
